package dev.jerry.model.llamaserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.api.InferenceRequest;
import dev.jerry.kit.api.InferenceResponse;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.SseEvent;
import dev.jerry.kit.client.SseStream;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.ModelServiceHarness;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.LlamaServerBinaries;
import dev.jerry.testing.TinyLlamaGguf;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model-service over the real upstream llama-server on the generated tiny model, with two slots: answers, streams,
 * tool calls, seeds, two users at once, and a child killed with SIGKILL in the middle of an answer.
 */
class LlamaServerIT {
    private static final int SLOTS = 2;
    private static Path binary;
    private static Path dir;
    private static LlamaServerBackend backend;
    private static ServiceApp app;

    @BeforeAll
    static void start() throws Exception {
        binary = LlamaServerBinaries.require();
        dir = Files.createTempDirectory("jerry-llama-server-");
        var model = new LlamaCppConfig(
                TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7),
                "tiny",
                TinyLlamaGguf.CONTEXT,
                1,
                0,
                Duration.ofMinutes(1));
        var engine = new LlamaServerConfig(
                LlamaServerConfig.Engine.SERVER, Optional.of(binary), dir.resolve("data"), SLOTS, "");
        var metrics = new ServiceMetrics("model");
        backend = new LlamaServerBackend(model, engine, metrics)
                .start(() -> binary)
                .awaitReady(Duration.ofMinutes(2));
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .queue(new QueueConfig(SLOTS, 32))
                .defaultMaxTokens(64)
                .localEngine(engine)
                .build();
        app = ModelServiceApp.create(config, metrics, List.of(backend), ModelServiceHarness.EMBEDDER)
                .start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static ServiceClient client() {
        return new ServiceClient(
                "model-service",
                app.baseUrl(),
                Optional.empty(),
                ClientOptions.defaults().withMaxAttempts(1),
                new ServiceMetrics("caller"));
    }

    private static InferenceRequest ask(int maxTokens, long seed, boolean stream) {
        return new InferenceRequest(
                "tiny",
                List.of(ChatMessage.system("You are Jerry."), ChatMessage.user("Hi!")),
                maxTokens,
                1.0,
                null,
                seed,
                stream,
                "bypass");
    }

    private record Streamed(List<String> deltas, InferenceResponse done, JsonNode error) {}

    /** Reads a streamed answer; {@code onFirstDelta} runs once, when the first piece of text arrived. */
    private static Streamed stream(InferenceRequest request, Runnable onFirstDelta) {
        List<String> deltas = new ArrayList<>();
        InferenceResponse done = null;
        JsonNode error = null;
        try (SseStream stream = client().stream("/v1/inference", request, Map.of())) {
            Optional<SseEvent> event;
            while ((event = stream.next()).isPresent()) {
                JsonNode data = Json.mapper().readTree(event.get().data());
                switch (event.get().event()) {
                    case "delta" -> {
                        deltas.add(data.path("text").asText());
                        if (deltas.size() == 1) {
                            onFirstDelta.run();
                        }
                    }
                    case "done" -> done = Json.mapper().convertValue(data, InferenceResponse.class);
                    case "error" -> error = data.path("error");
                    default -> {}
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Streamed(deltas, done, error);
    }

    @Test
    void should_answer_and_stream_the_same_text_for_the_same_seed() {
        // when
        InferenceResponse first = client().post("/v1/inference", ask(16, 5, false), InferenceResponse.class);
        InferenceResponse again = client().post("/v1/inference", ask(16, 5, false), InferenceResponse.class);
        Streamed streamed = stream(ask(16, 5, true), () -> {});

        // then
        assertThat(first.model()).isEqualTo("tiny");
        assertThat(first.usage().promptTokens()).isPositive();
        assertThat(first.usage().completionTokens()).isBetween(1, 16);
        assertThat(first.finishReason()).isIn("stop", "length");
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(streamed.error()).isNull();
        assertThat(streamed.deltas()).isNotEmpty();
        assertThat(String.join("", streamed.deltas())).isEqualTo(first.text());
        assertThat(streamed.done().text()).isEqualTo(first.text());
    }

    @Test
    void should_return_a_tool_call_matching_the_schema_when_a_tool_is_required() throws Exception {
        // given
        String body = """
                {"model": "tiny", "seed": 11, "temperature": 1.0, "max_tokens": 200,
                 "messages": [{"role": "user", "content": "What is the weather in Oslo for the next 3 days?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather",
                   "description": "Weather forecast for a city",
                   "parameters": {"type": "object", "properties": {
                     "city": {"type": "string", "enum": ["Paris", "Oslo"]}, "days": {"type": "integer"}},
                     "required": ["city", "days"]}}}],
                 "tool_choice": "required"}""";

        // when
        HttpResponse<String> response = Http.post(app.baseUrl(), "/v1/chat/completions", body);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode choice =
                Json.mapper().readTree(response.body()).path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        JsonNode arguments =
                Json.mapper().readTree(call.path("function").path("arguments").asText());
        assertThat(arguments.path("city").asText()).isIn("Paris", "Oslo");
        assertThat(arguments.path("days").isIntegralNumber()).isTrue();
    }

    @Test
    void should_answer_two_users_at_once_with_two_slots() throws Exception {
        // given: a long answer is being streamed to one user
        CountDownLatch firstStreaming = new CountDownLatch(1);
        CompletableFuture<Streamed> longAnswer =
                CompletableFuture.supplyAsync(() -> stream(ask(1500, 5, true), firstStreaming::countDown));
        assertThat(firstStreaming.await(60, TimeUnit.SECONDS)).isTrue();

        // when: a second user asks for a short answer meanwhile
        InferenceResponse shortAnswer = client().post("/v1/inference", ask(2, 9, false), InferenceResponse.class);

        // then: the second slot answered it while the first was still generating
        assertThat(shortAnswer.usage().completionTokens()).isPositive();
        assertThat(longAnswer).as("the long answer is still streaming").isNotDone();
        Streamed first = longAnswer.get(2, TimeUnit.MINUTES);
        assertThat(first.error()).isNull();
        assertThat(first.done()).isNotNull();
    }

    @Test
    void should_fail_the_answer_in_flight_with_503_and_answer_the_next_after_a_restart_when_the_child_is_killed() {
        // given: an answer is being generated
        long pid = backend.childPid().orElseThrow();
        // when: the child dies of SIGKILL in the middle of it
        Streamed killed = stream(
                ask(1500, 3, true), () -> ProcessHandle.of(pid).orElseThrow().destroyForcibly());

        // then: that request fails with the reason, and after the restart the next one is answered
        assertThat(killed.done()).isNull();
        assertThat(killed.error()).isNotNull();
        assertThat(killed.error().path("type").asText()).isEqualTo("upstream_unavailable");
        assertThat(killed.error().path("message").asText())
                .startsWith("the local model stopped: llama-server was killed by signal 9")
                .endsWith("restarting");
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(Http.post(app.baseUrl(), "/v1/inference", Json.write(ask(4, 1, false)))
                                .statusCode())
                        .isEqualTo(200));
        assertThat(backend.childPid())
                .hasValueSatisfying(next -> assertThat(next).isNotEqualTo(pid));
        assertThat(backend.probe().toString()).contains("restarts=").contains("last_stop=was killed by signal 9");
    }

    @Test
    void should_answer_503_with_the_reason_while_the_child_is_down() throws Exception {
        // given: a backend whose child cannot start (the model file is not a model)
        Path broken = Files.writeString(dir.resolve("broken.gguf"), "GGUF but nothing else");
        var model = new LlamaCppConfig(broken, "broken", 512, 1, 0, Duration.ofMinutes(1));
        var engine =
                new LlamaServerConfig(LlamaServerConfig.Engine.SERVER, Optional.of(binary), dir.resolve("data"), 1, "");
        try (var failing = new LlamaServerBackend(model, engine, new ServiceMetrics("model")).start(() -> binary)) {
            // when
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> failing.probe().toString().contains("last_stop"));
            var error = org.assertj.core.api.Assertions.catchThrowable(() -> failing.chat(
                    new dev.jerry.model.backend.ChatRequest("broken", List.of(ChatMessage.user("hi")), 4, 0, 1),
                    dev.jerry.model.backend.TokenSink.NONE));

            // then
            assertThat(error).hasMessageStartingWith("the local model stopped: llama-server exited with status");
            assertThat(failing.probe().toString()).contains("restarting");
        }
    }

    @Test
    void should_stop_llama_server_when_model_service_goes_away(@TempDir Path work) throws Exception {
        // given: a child whose lifeline (its wrapper's stdin, a pipe from this JVM) is open
        var model = new LlamaCppConfig(
                TinyLlamaGguf.write(work.resolve("tiny.gguf"), 3), "tiny", 256, 1, 0, Duration.ofMinutes(1));
        LlamaServerChild child = LlamaServerChild.start(binary, model, 1, work);
        ProcessHandle server = ProcessHandle.of(child.pid()).orElseThrow();
        try {
            child.awaitHealthy(Duration.ofMinutes(1));

            // when: the pipe closes, as it does when the JVM ends in any way (even SIGKILL)
            child.lifeline().close();

            // then
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
        } finally {
            child.close();
        }
    }
}
