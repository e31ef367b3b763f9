package dev.jerry.agent.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentHarness;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent-service when model-service refuses (a double speaking its wire format: status, Jerry's error body,
 * {@code Retry-After}) or is not there: each refusal reaches the caller as a status that says what to do, in words,
 * without raw upstream JSON or Java class names.
 */
class ModelServiceFailuresIT {
    private ServiceApp agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    private ServiceApp agent(Path dir, String modelUrl) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        agent = AgentHarness.start(dir, modelUrl, "http://127.0.0.1:" + Ports.free(), Map.of());
        return agent;
    }

    private static JsonNode error(String body) throws Exception {
        return Json.mapper().readTree(body).path("error");
    }

    /** The events of an SSE body, as (name, data) pairs. */
    private static List<Map.Entry<String, JsonNode>> events(String stream) throws Exception {
        List<Map.Entry<String, JsonNode>> events = new java.util.ArrayList<>();
        String name = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(Map.entry(name, Json.mapper().readTree(line.substring(6))));
            }
        }
        return events;
    }

    @Test
    void should_pass_model_service_queue_full_on_as_429_with_its_retry_after(@TempDir Path dir) throws Exception {
        // given: model-service's queue is full and says to come back in 7 s
        try (var model = RefusingModelService.start(
                429,
                "rate_limited",
                "the queue of llama.cpp is full (32 waiting, JERRY_QUEUE_MAX); try again later",
                7)) {
            ServiceApp app = agent(dir, model.baseUrl().toString());

            // when
            var plain = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", false));
            var streamed = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", true));

            // then
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(429);
            assertThat(plain.headers().firstValue("Retry-After")).contains("7");
            assertThat(error(plain.body()).path("message").asText()).contains("busy", "queue", "is full");
            var events = events(streamed.body());
            assertThat(events).extracting(Map.Entry::getKey).containsExactly("error");
            JsonNode event = events.getFirst().getValue().path("error");
            assertThat(event.path("type").asText()).isEqualTo("rate_limited");
            assertThat(event.path("retry_after_seconds").asInt()).isEqualTo(7);
            // nothing half-done is remembered
            assertThat(Http.get(app.baseUrl(), "/v1/conversations/dm:42").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void should_pass_model_service_queue_full_on_to_openai_clients_as_429_with_its_retry_after(@TempDir Path dir)
            throws Exception {
        // given
        try (var model = RefusingModelService.start(429, "rate_limited", "the queue of llama.cpp is full", 4)) {
            ServiceApp app = agent(dir, model.baseUrl().toString());
            String body = Json.write(Map.of(
                    "model", "jerry", "user", "alice", "messages", List.of(Map.of("role", "user", "content", "Hi"))));
            String streamed = Json.write(Map.of(
                    "model",
                    "jerry",
                    "user",
                    "alice",
                    "stream",
                    true,
                    "messages",
                    List.of(Map.of("role", "user", "content", "Hi"))));

            // when
            var plain = Http.post(app.baseUrl(), "/v1/chat/completions", body);
            var stream = Http.post(app.baseUrl(), "/v1/chat/completions", streamed);

            // then
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(429);
            assertThat(plain.headers().firstValue("Retry-After")).contains("4");
            String firstData = stream.body()
                    .lines()
                    .filter(line -> line.startsWith("data: "))
                    .findFirst()
                    .orElseThrow()
                    .substring(6);
            assertThat(error(firstData).path("retry_after_seconds").asInt()).isEqualTo(4);
            assertThat(stream.body()).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void should_name_the_token_variable_and_be_not_ready_when_model_service_rejects_the_token(@TempDir Path dir)
            throws Exception {
        // given
        try (var model = RefusingModelService.start(
                401, "unauthorized", "the bearer token is not valid (unknown or revoked)", null)) {
            ServiceApp app = agent(dir, model.baseUrl().toString());

            // when
            var turn = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", false));
            var ready = Http.get(app.baseUrl(), "/health/ready");

            // then
            assertThat(turn.statusCode()).as(turn.body()).isEqualTo(503);
            assertThat(error(turn.body()).path("message").asText())
                    .contains("rejects agent-service's token", "JERRY_MODEL_SERVICE_TOKEN");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("JERRY_MODEL_SERVICE_TOKEN");
        }
    }

    @Test
    void should_answer_502_in_model_service_words_when_it_refuses_the_request(@TempDir Path dir) throws Exception {
        for (int status : new int[] {400, 413}) {
            // given
            try (var model = RefusingModelService.start(
                    status, "bad_request", "field 'messages' is 900000 bytes; the limit is 1048576", null)) {
                ServiceApp app = agent(
                        dir.resolve(String.valueOf(status)), model.baseUrl().toString());

                // when
                var turn = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", false));

                // then
                assertThat(turn.statusCode()).as(turn.body()).isEqualTo(502);
                String message = error(turn.body()).path("message").asText();
                assertThat(message)
                        .contains("model-service refused the request", "field 'messages'")
                        .doesNotContain("{", "request_id", "Exception");
                agent.stop();
                agent = null;
            }
        }
    }

    @Test
    void should_say_model_service_is_not_reachable_before_it_is_up(@TempDir Path dir) throws Exception {
        // given
        String url = "http://127.0.0.1:" + Ports.free();
        ServiceApp app = agent(dir, url);

        // when
        var plain = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", false));
        var streamed = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", true));

        // then
        assertThat(plain.statusCode()).isEqualTo(503);
        assertThat(error(plain.body()).path("message").asText())
                .contains("model-service is not reachable", url, "JERRY_MODEL_SERVICE_URL")
                .doesNotContain("Exception");
        assertThat(events(streamed.body())
                        .getFirst()
                        .getValue()
                        .path("error")
                        .path("message")
                        .asText())
                .contains("model-service is not reachable")
                .doesNotContain("Exception");
    }

    @Test
    void should_refuse_a_turn_in_someone_elses_conversation_and_overlong_ids(@TempDir Path dir) throws Exception {
        // given
        ServiceApp app = agent(dir, "http://127.0.0.1:" + Ports.free());
        String intruder = Json.write(
                Map.of("conversation_id", "dm:99", "user", Map.of("id", "42", "name", "Mallory"), "message", "hi"));
        String huge = Json.write(Map.of(
                "conversation_id",
                "dm:42",
                "user",
                Map.of("id", "4".repeat(100_000), "name", "Alice"),
                "message",
                "hi"));

        // when
        var forbidden = Http.post(app.baseUrl(), "/v1/chat", intruder);
        var tooLong = Http.post(app.baseUrl(), "/v1/chat", huge);

        // then
        assertThat(forbidden.statusCode()).as(forbidden.body()).isEqualTo(403);
        assertThat(error(forbidden.body()).path("message").asText()).contains("dm:99", "user.id");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(error(tooLong.body()).path("message").asText())
                .contains(
                        "user.id", "100000 characters", "limit is " + dev.jerry.agent.memory.Conversation.MAX_USER_ID);
        assertThat(Http.get(app.baseUrl(), "/v1/conversations/dm:99").statusCode())
                .isEqualTo(404);
    }

    @Test
    void should_say_what_to_set_and_that_retrying_will_not_help_when_model_service_has_no_model(@TempDir Path dir)
            throws Exception {
        // given: the real model-service offline, without a model (no JERRY_MODEL_PATH, no preset, no Ollama)
        ServiceApp model = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(
                                Env.of(Map.of("JERRY_MODEL_PORT", "0", "JERRY_MODEL_PRESET", "none"))),
                        new ServiceMetrics("model"))
                .start();
        try {
            ServiceApp app = agent(dir, model.baseUrl().toString());

            // when
            var plain = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", false));
            var streamed = Http.post(app.baseUrl(), "/v1/chat", AgentHarness.ask("Hello?", true));

            // then: 503 not_configured naming the variable, in the body and in the stream's error event alike
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(503);
            var events = events(streamed.body());
            assertThat(events).extracting(Map.Entry::getKey).containsExactly("error");
            for (JsonNode error :
                    List.of(error(plain.body()), events.getFirst().getValue().path("error"))) {
                assertThat(error.path("type").asText()).isEqualTo("not_configured");
                assertThat(error.path("message").asText())
                        .startsWith("no language model is available; set JERRY_MODEL_PATH")
                        .doesNotContainPattern("\\w+Exception")
                        .doesNotContainIgnoringCase("try again");
            }
        } finally {
            model.stop();
        }
    }
}
