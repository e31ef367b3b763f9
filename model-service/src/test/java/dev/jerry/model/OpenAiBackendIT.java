package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.api.InferenceRequest;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.openai.OpenAiBackend;
import dev.jerry.model.openai.OpenAiConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * model-service B with an OpenAI-compatible backend in front of model-service A (real llama.cpp): a real server
 * speaking OpenAI's API stands in for vLLM or llama-server.
 */
@ExtendWith(ModelServiceHarness.class)
class OpenAiBackendIT {
    private static Embedder embedder;
    private static ServiceApp front;
    private static ServiceApp orphan;

    @BeforeAll
    static void start(ModelServiceHarness.Running upstream) {
        embedder = Embedder.bgeSmall();
        front = frontOf(URI.create(upstream.baseUrl() + "/v1"), List.of("tiny"));
        orphan = frontOf(URI.create("http://127.0.0.1:" + Ports.free() + "/v1"), List.of("tiny"));
    }

    @AfterAll
    static void stop() {
        front.stop();
        orphan.stop();
    }

    private static ServiceApp frontOf(URI url, List<String> models) {
        var openai = new OpenAiConfig(
                url, Optional.of(new Secret(ModelServiceHarness.TOKEN)), models, Duration.ofSeconds(30));
        var metrics = new ServiceMetrics("model");
        var config = ModelServiceHarness.openAiFront(openai);
        return ModelServiceApp.create(config, metrics, List.of(new OpenAiBackend(openai, metrics)), embedder)
                .start();
    }

    private static String inference(long seed) {
        return Json.write(
                new InferenceRequest("tiny", List.of(ChatMessage.user("Hello")), 8, 1.0, null, seed, null, null));
    }

    @Test
    void should_relay_a_chat_with_the_upstreams_answer_and_usage(ModelServiceHarness.Running upstream)
            throws Exception {
        var direct = Json.mapper()
                .readTree(Http.post(upstream.baseUrl(), "/v1/inference", inference(5), upstream.auth())
                        .body());
        var relayed = Json.mapper()
                .readTree(Http.post(front.baseUrl(), "/v1/inference", inference(5))
                        .body());

        assertThat(relayed.path("text").asText())
                .isNotEmpty()
                .isEqualTo(direct.path("text").asText());
        assertThat(relayed.path("usage").path("completion_tokens").asInt())
                .isEqualTo(direct.path("usage").path("completion_tokens").asInt());
        assertThat(relayed.path("usage").path("prompt_tokens").asInt())
                .isEqualTo(direct.path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void should_assemble_a_streamed_tool_call_from_the_upstream() throws Exception {
        var weather = ToolSpecification.builder()
                .name("get_weather")
                .parameters(JsonObjectSchema.builder()
                        .addEnumProperty("city", List.of("Paris", "Oslo"))
                        .required("city")
                        .build())
                .build();
        var model = OpenAiChatModel.builder()
                .baseUrl(front.baseUrl() + "/v1")
                .apiKey("unused")
                .modelName("tiny")
                .seed(11)
                .maxTokens(200)
                .build();

        var response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Weather in Oslo?"))
                .toolSpecifications(weather)
                .toolChoice(ToolChoice.REQUIRED)
                .build());

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(Json.mapper().readTree(call.arguments()).path("city").asText())
                    .isIn("Paris", "Oslo");
        });
    }

    @Test
    void should_report_the_upstreams_models_and_key_in_readiness() throws Exception {
        var ready = Http.get(front.baseUrl(), "/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode check =
                Json.mapper().readTree(ready.body()).path("checks").elements().next();
        assertThat(check.path("details").path("models_present").get(0).asText()).isEqualTo("tiny");
        assertThat(check.path("details").path("api_key_configured").asBoolean()).isTrue();
        assertThat(ready.body()).doesNotContain(ModelServiceHarness.TOKEN);
    }

    @Test
    void should_serve_embeddings_from_the_openai_compatible_server_when_configured(ModelServiceHarness.Running upstream)
            throws Exception {
        var openai = new OpenAiConfig(
                URI.create(upstream.baseUrl() + "/v1"),
                Optional.of(new Secret(ModelServiceHarness.TOKEN)),
                List.of("tiny"),
                Duration.ofSeconds(30));
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()),
                        BackendsConfig.openAi(openai)
                                .withEmbedding(new EmbeddingConfig(
                                        EmbeddingConfig.Source.OPENAI, Optional.of("bge-small-en-v1.5"))))
                .defaultMaxTokens(16)
                .build();
        ServiceApp app =
                ModelServiceApp.create(config, new ServiceMetrics("model")).start();
        try {
            var response = Http.post(app.baseUrl(), "/api/embed", "{\"input\":\"hello\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Json.mapper()
                            .readTree(response.body())
                            .path("embeddings")
                            .get(0))
                    .hasSize(384);
            var ready = Json.mapper()
                    .readTree(Http.get(app.baseUrl(), "/health/ready").body());
            assertThat(ready.path("checks")
                            .path("embeddings")
                            .path("details")
                            .path("model")
                            .asText())
                    .isEqualTo("bge-small-en-v1.5");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_answer_503_naming_the_upstream_when_it_is_down() throws Exception {
        var response = Http.post(orphan.baseUrl(), "/v1/inference", inference(1));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Http.errorMessage(response)).startsWith("openai@127.0.0.1:").contains("unreachable");
    }
}
