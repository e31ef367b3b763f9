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
import dev.jerry.testing.LlamaServerBinaries;
import dev.jerry.testing.Ports;
import dev.jerry.testing.TinyLlamaGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversation grown far past the model's context keeps answering: the real agent-service against the real
 * model-service running the generated tiny model in llama.cpp with a small context, whose byte-level tokenizer
 * spends about a token per character (four times what English text costs a chat model). Before the budget was
 * calibrated, such a conversation failed every turn once its history outgrew the context.
 */
class LongConversationIT {
    private static final int CONTEXT = 1024;

    @Test
    void should_keep_answering_when_the_conversation_outgrows_the_context(@TempDir Path dir) throws Exception {
        // given: model-service with a 1,024-token context
        Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
        ServiceApp modelService = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_MODEL_PORT",
                                "0",
                                "JERRY_MODEL_PATH",
                                model.toString(),
                                "JERRY_MODEL_NAME",
                                AgentHarness.MODEL,
                                "JERRY_LLAMA_CONTEXT",
                                String.valueOf(CONTEXT),
                                "JERRY_LLAMA_THREADS",
                                "1",
                                "JERRY_CACHE_ENABLED",
                                "false",
                                "JERRY_MODELS_DIR",
                                dir.resolve("models").toString(),
                                "JERRY_DATA_DIR",
                                dir.resolve("data").toString(),
                                "JERRY_LLAMA_SERVER",
                                LlamaServerBinaries.require().toString()))),
                        new ServiceMetrics("model"))
                .start();
        // the local model runs in a llama-server child that starts in the background
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .until(() -> Http.get(modelService.baseUrl(), "/health/ready").statusCode() == 200);
        ServiceApp agent = AgentHarness.start(
                dir, modelService.baseUrl().toString(), "http://127.0.0.1:" + Ports.free(), Map.of());
        try {
            List<Integer> statuses = new ArrayList<>();
            List<Integer> promptTokens = new ArrayList<>();

            // when: eight turns of about 300 characters each, plus the answers
            for (int turn = 1; turn <= 8; turn++) {
                String question = "/summarize Turn " + turn + ": please remember that the pump in hall " + turn
                        + " was serviced on day " + (turn * 3) + ", that its pressure gauge read " + (turn * 7)
                        + " bar, that the valve next to it was replaced, and that the night shift reported a noise"
                        + " from the bearing which nobody could explain yet. What should be checked next?";
                var response = Http.post(
                        agent.baseUrl(),
                        "/v1/chat",
                        Json.write(Map.of(
                                "conversation_id",
                                "dm:42",
                                "user",
                                Map.of("id", "42", "name", "Alice"),
                                "message",
                                question)));
                statuses.add(response.statusCode());
                if (response.statusCode() == 200) {
                    promptTokens.add(Json.mapper()
                            .readTree(response.body())
                            .path("usage")
                            .path("prompt_tokens")
                            .asInt());
                } else {
                    System.err.println("turn " + turn + ": " + response.body());
                }
            }

            // then: every turn answered, within the context, although the conversation is far larger
            assertThat(statuses).containsOnly(200);
            assertThat(promptTokens).allSatisfy(tokens -> assertThat(tokens).isBetween(1, CONTEXT));
            JsonNode stored = Json.mapper()
                    .readTree(
                            Http.get(agent.baseUrl(), "/v1/conversations/dm:42").body());
            int storedChars = stored.path("summary").asText("").length();
            for (JsonNode message : stored.path("recent")) {
                storedChars += message.path("content").asText().length();
            }
            int askedChars = 8 * 300;
            assertThat(askedChars + storedChars).isGreaterThan(2 * CONTEXT);
        } finally {
            agent.stop();
            modelService.stop();
        }
    }
}
