package dev.jerry.bot;

import dev.jerry.bot.channels.Place;
import dev.jerry.bot.channels.PlaceSettings;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answer, wherever it is shown: agent-service's streamed turn fed into an {@link AnswerStream}, and the deadline
 * after which the user is told it took too long and the turn is abandoned. Every path ends the stream with the answer
 * or a readable error. Plain Java: {@code /jerry}, DMs and tests use it alike.
 */
public final class Answering {
    private static final Logger log = LoggerFactory.getLogger(Answering.class);

    private final AgentClient agent;
    private final PlaceSettings settings;
    private final BotMetrics metrics;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final Duration editInterval;

    /** {@code timeout}: the longest an answer may take; {@code editInterval}: the least time between two edits. */
    public Answering(
            AgentClient agent,
            PlaceSettings settings,
            BotMetrics metrics,
            ExecutorService workers,
            ScheduledExecutorService timer,
            Duration timeout,
            Duration editInterval) {
        this.agent = agent;
        this.settings = settings;
        this.metrics = metrics;
        this.workers = workers;
        this.timer = timer;
        this.timeout = timeout;
        this.editInterval = editInterval;
    }

    /** A stream onto {@code surface} for a request that arrived at {@code receivedNanos} (for the answer metrics). */
    public AnswerStream stream(AnswerStream.Surface surface, boolean showStatus, long receivedNanos) {
        return new AnswerStream(surface, editInterval, timer, showStatus, metrics.answer(receivedNanos));
    }

    /** Starts the turn on a worker and returns at once; {@code stream.done()} completes when the answer is shown. */
    public void run(String conversationId, AgentChatRequest.UserRef user, String prompt, AnswerStream stream) {
        run(conversationId, user, prompt, Optional.empty(), null, stream);
    }

    /** As {@link #run(String, AgentChatRequest.UserRef, String, AnswerStream)}, with the settings of {@code place}. */
    public void run(
            String conversationId,
            AgentChatRequest.UserRef user,
            String prompt,
            Optional<Place> place,
            AnswerStream stream) {
        run(conversationId, user, prompt, place, null, stream);
    }

    /**
     * As {@link #run(String, AgentChatRequest.UserRef, String, Optional, AnswerStream)}, the model given {@code
     * history} (a reply chain) as the earlier turns instead of the stored ones; null: the stored ones.
     */
    public void run(
            String conversationId,
            AgentChatRequest.UserRef user,
            String prompt,
            Optional<Place> place,
            List<AgentChatRequest.HistoryMessage> history,
            AnswerStream stream) {
        Future<?> call = workers.submit(() -> turn(conversationId, user, prompt, place, history, stream));
        ScheduledFuture<?> deadline = timer.schedule(
                () -> {
                    if (!stream.finished()) {
                        metrics.error("answer_timeout");
                        stream.fail("⚠️ The answer took longer than " + timeout.toSeconds()
                                + " s, so I stopped waiting. Please try again; a shorter question is faster.");
                        call.cancel(true);
                    }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        stream.done().whenComplete((ok, e) -> deadline.cancel(false));
    }

    private void turn(
            String conversationId,
            AgentChatRequest.UserRef user,
            String prompt,
            Optional<Place> place,
            List<AgentChatRequest.HistoryMessage> history,
            AnswerStream stream) {
        try {
            AgentChatRequest request = settings.apply(
                    new AgentChatRequest(conversationId, user, prompt, true).withHistory(history),
                    place,
                    Long.parseLong(user.id()));
            agent.chat(request, new AgentClient.Events() {
                @Override
                public void status(String text) {
                    stream.status(text);
                }

                @Override
                public void delta(String text) {
                    stream.delta(text);
                }

                @Override
                public void done(AgentChatResponse response) {
                    stream.finish(response.reply(), response.sources(), response.turnId());
                }

                @Override
                public void error(String type, String message) {
                    metrics.error(type);
                    stream.fail(ErrorText.ofEvent(type, message));
                }
            });
        } catch (UpstreamException e) {
            if (!stream.finished()) {
                metrics.error(e.errorType());
                stream.fail(ErrorText.of(e));
            }
        } catch (RuntimeException e) {
            log.error("answering failed", e);
            metrics.error("internal");
            stream.fail(ErrorText.of(e));
        }
    }
}
