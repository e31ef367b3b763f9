package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.bot.channels.AgentState;
import dev.jerry.bot.channels.PlaceSettings;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One answer from agent-service (its SSE double) to the messages a user sees, with its deadline, without Discord. */
class AnsweringIT {
    private static final AgentChatRequest.UserRef USER = new AgentChatRequest.UserRef("7", "Ada", List.of());

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** What the user sees: the last content of each message. */
    private final Map<Integer, String> shown = new ConcurrentSkipListMap<>();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private Answering answering(URI agent, Duration timeout) {
        AgentClient client = new AgentClient(new UpstreamConfig("agent-service", agent, Optional.empty())
                .client(ClientOptions.defaults().withMaxAttempts(1), new ServiceMetrics("test")));
        return new Answering(
                client,
                new PlaceSettings(new AgentState(new UpstreamConfig("agent-service", agent, Optional.empty())
                        .client(ClientOptions.defaults().withMaxAttempts(1), new ServiceMetrics("test")))),
                new BotMetrics(new ServiceMetrics("bot")),
                workers,
                timer,
                timeout,
                Duration.ofMillis(200));
    }

    private AnswerStream stream(Answering answering) {
        return answering.stream(
                (index, content) -> {
                    shown.put(index, content);
                    return CompletableFuture.completedFuture(null);
                },
                true,
                System.nanoTime());
    }

    @Test
    void should_show_the_reply_with_its_footnotes_when_the_agent_answers_in_time() throws Exception {
        try (AgentDouble agent = AgentDouble.start()) {
            // given
            agent.script(r -> List.of(new Step.Delta("Heavy water [1]."), new Step.Done(List.of())));
            Answering answering = answering(agent.baseUrl(), Duration.ofSeconds(30));
            AnswerStream stream = stream(answering);

            // when
            answering.run("dm:7", USER, "How is the core cooled?", stream);
            stream.done().get(20, TimeUnit.SECONDS);

            // then
            assertThat(shown).containsExactly(Map.entry(0, "Heavy water [1]."));
            assertThat(agent.requests().getLast().conversationId()).isEqualTo("dm:7");
        }
    }

    @Test
    void should_keep_the_partial_answer_and_say_it_stopped_waiting_when_the_deadline_passes() throws Exception {
        try (AgentDouble agent = AgentDouble.start()) {
            // given: the agent starts, then stalls longer than the deadline
            agent.script(r -> List.of(new Step.Delta("Heavy water"), new Step.Pause(10_000), new Step.Done(List.of())));
            Answering answering = answering(agent.baseUrl(), Duration.ofSeconds(1));
            AnswerStream stream = stream(answering);

            // when
            answering.run("dm:7", USER, "How is the core cooled?", stream);
            stream.done().get(20, TimeUnit.SECONDS);

            // then
            assertThat(shown.get(0))
                    .startsWith("Heavy water\n\n⚠️ The answer took longer than 1 s, so I stopped waiting.")
                    .contains("Please try again");
        }
    }

    @Test
    void should_say_readably_that_the_agent_cannot_be_reached() throws Exception {
        // given
        Answering answering = answering(URI.create("http://127.0.0.1:" + Ports.free()), Duration.ofSeconds(30));
        AnswerStream stream = stream(answering);

        // when
        answering.run("dm:7", USER, "hello", stream);
        stream.done().get(20, TimeUnit.SECONDS);

        // then
        assertThat(shown.get(0)).startsWith("⚠️ I can't answer right now:").contains("agent-service");
    }
}
