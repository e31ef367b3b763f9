package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** model-service in front of Ollama nodes (doubles speaking Ollama's wire format). */
class OllamaBackendIT {
    private static Embedder embedder;
    private final List<AutoCloseable> running = new ArrayList<>();
    private ServiceMetrics metrics;

    @BeforeAll
    static void loadEmbedder() {
        embedder = Embedder.bgeSmall();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    private OllamaDouble ollama() {
        OllamaDouble ollama = OllamaDouble.start();
        running.add(ollama);
        return ollama;
    }

    private static OllamaConfig config(List<URI> urls, String... required) {
        return new OllamaConfig(
                urls, Optional.empty(), List.of(required), true, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** Starts model-service over the given nodes, as ModelServiceApp.create(config) does. */
    private ServiceApp modelService(OllamaConfig ollama, Optional<String> fallback) {
        metrics = new ServiceMetrics("model");
        List<Backend> backends = new ArrayList<>();
        for (URI url : ollama.urls()) {
            OllamaBackend node = new OllamaBackend(url, ollama, metrics);
            node.start();
            backends.add(node);
        }
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.ollama(ollama))
                .defaultMaxTokens(64)
                .fallbackModel(fallback)
                .build();
        ServiceApp app =
                ModelServiceApp.create(config, metrics, backends, embedder).start();
        running.add(app::stop);
        return app;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void should_pull_only_the_missing_required_models_at_start_up() throws Exception {
        OllamaDouble ollama = ollama().withModel("llama3.2:3b").pullable("qwen2.5:0.5b");

        modelService(config(List.of(ollama.baseUrl()), "llama3.2:3b", "qwen2.5:0.5b"), Optional.empty());

        await(() -> ollama.has("qwen2.5:0.5b"), "the pull of qwen2.5:0.5b");
        assertThat(ollama.requests("/api/pull"))
                .extracting(r -> r.path("model").asText())
                .containsExactly("qwen2.5:0.5b");
        await(() -> metrics.scrape().contains("outcome=\"success\""), "the pull metric");
    }

    @Test
    void should_start_a_download_through_api_pull_and_answer_success_once_it_is_there() throws Exception {
        OllamaDouble ollama =
                ollama().withModel("llama3.2:3b").pullable("qwen2.5:0.5b").pullStepDelay(Duration.ofMillis(500));
        ServiceApp app = modelService(config(List.of(ollama.baseUrl()), "llama3.2:3b"), Optional.empty());
        String pull = "{\"model\":\"qwen2.5:0.5b\",\"stream\":false}";

        var downloading = Http.post(app.baseUrl(), "/api/pull", pull);

        assertThat(downloading.statusCode()).isEqualTo(503);
        assertThat(downloading.headers().firstValue("Retry-After")).isPresent();
        assertThat(downloading.body()).contains("is downloading");
        await(() -> Http.post(app.baseUrl(), "/api/pull", pull).statusCode() == 200, "the pull to finish");
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();
        assertThat(Http.post(app.baseUrl(), "/api/pull", "{\"model\":\"ghost:1b\",\"stream\":false}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void should_start_and_report_a_failed_pull_in_readiness_without_blocking() throws Exception {
        OllamaDouble ollama = ollama();

        ServiceApp app = modelService(config(List.of(ollama.baseUrl()), "nope:1b"), Optional.empty());

        await(() -> metrics.scrape().contains("outcome=\"failed\""), "the failed pull");
        var ready = Http.get(app.baseUrl(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode node =
                Json.mapper().readTree(ready.body()).path("checks").elements().next();
        assertThat(node.path("reason").asText()).isEqualTo("required models missing: nope:1b");
        assertThat(node.path("details").path("pulls").path("nope:1b").asText())
                .isEqualTo("pull failed: pull model manifest: file does not exist");
    }

    @Test
    void should_answer_503_while_a_requested_model_downloads_then_serve_it() throws Exception {
        OllamaDouble ollama = ollama().withModel("small:1b").pullable("big:7b").pullStepDelay(Duration.ofMillis(400));
        ServiceApp app = modelService(config(List.of(ollama.baseUrl()), "small:1b"), Optional.empty());

        var downloading = Http.post(app.baseUrl(), "/api/chat", chat("big:7b"));

        assertThat(downloading.statusCode()).isEqualTo(503);
        assertThat(downloading.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(Json.mapper().readTree(downloading.body()).path("error").asText())
                .startsWith("model 'big:7b' is downloading on ollama@127.0.0.1:")
                .contains("% (");
        await(() -> ollama.has("big:7b"), "the pull of big:7b");
        var served = Http.post(app.baseUrl(), "/api/chat", chat("big:7b"));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).contains("\"content\":\"Hello from big:7b\"");
    }

    @Test
    void should_answer_404_for_a_model_that_no_node_can_pull() throws Exception {
        OllamaDouble ollama = ollama().withModel("small:1b");
        ServiceApp app = modelService(config(List.of(ollama.baseUrl()), "small:1b"), Optional.empty());

        var response = Http.post(app.baseUrl(), "/api/chat", chat("ghost:1b"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(response.body()).path("error").asText())
                .contains("ghost:1b")
                .contains("pull failed: pull model manifest: file does not exist");
    }

    @Test
    void should_relay_streamed_text_and_tool_calls_to_the_real_ollama_client() throws Exception {
        OllamaDouble ollama = ollama().withModel("llama3.2:3b")
                .script(
                        "llama3.2:3b",
                        OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "reactor cooling")),
                        OllamaDouble.Reply.text("The reactor is cooled with water."));
        ServiceApp app = modelService(config(List.of(ollama.baseUrl()), "llama3.2:3b"), Optional.empty());
        var model = OllamaChatModel.builder()
                .baseUrl(app.baseUrl().toString())
                .modelName("llama3.2:3b")
                .build();
        var search = ToolSpecification.builder()
                .name("rag_search")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("query")
                        .required("query")
                        .build())
                .build();

        ChatResponse call = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("How is the reactor cooled?"))
                .toolSpecifications(search)
                .build());
        ChatResponse answer = model.chat(UserMessage.from("And then?"));

        assertThat(call.aiMessage().toolExecutionRequests()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("rag_search");
            assertThat(Json.mapper().readTree(r.arguments()).path("query").asText())
                    .isEqualTo("reactor cooling");
        });
        assertThat(answer.aiMessage().text()).isEqualTo("The reactor is cooled with water.");
        // the tools reached Ollama in its own format
        assertThat(ollama.requests("/api/chat")
                        .getFirst()
                        .path("tools")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("rag_search");
    }

    @Test
    void should_pull_and_serve_embeddings_from_the_ollama_node_when_configured() throws Exception {
        OllamaDouble ollama = ollama().withModel("llama3.2:3b").pullable("nomic-embed-text");
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()),
                        BackendsConfig.ollama(config(List.of(ollama.baseUrl()), "llama3.2:3b"))
                                .withEmbedding(new EmbeddingConfig(
                                        EmbeddingConfig.Source.OLLAMA, Optional.of("nomic-embed-text"))))
                .defaultMaxTokens(64)
                .build();
        metrics = new ServiceMetrics("model");
        ServiceApp app = ModelServiceApp.create(config, metrics).start(); // the production composition
        running.add(app::stop);

        await(() -> ollama.has("nomic-embed-text"), "the pull of the embedding model");
        var response = Http.post(app.baseUrl(), "/v1/embeddings", "{\"input\":[\"a\",\"b\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = Json.mapper().readTree(response.body()).path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("embedding")).hasSize(8); // the double's vectors, not bge's 384
        assertThat(Json.mapper().readTree(response.body()).path("model").asText())
                .isEqualTo("nomic-embed-text");
        assertThat(ollama.requests("/api/embed")).isNotEmpty();
    }

    @Test
    void should_fall_back_to_the_configured_model_when_the_primary_node_is_down() throws Exception {
        OllamaDouble backup = ollama().withModel("backup:1b");
        URI dead = URI.create("http://127.0.0.1:" + Ports.free());
        ServiceApp app = modelService(
                config(List.of(dead, backup.baseUrl()), "primary:8b", "backup:1b"), Optional.of("backup:1b"));

        var response = Http.post(app.baseUrl(), "/api/chat", chat("primary:8b"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Hello from backup:1b\"");
        assertThat(metrics.scrape())
                .containsPattern("jerry_model_fallbacks_total\\{[^}]*from=\"primary:8b\"[^}]*to=\"backup:1b\"");
    }
}
