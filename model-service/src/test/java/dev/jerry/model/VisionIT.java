package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.openai.OpenAiBackend;
import dev.jerry.model.openai.OpenAiConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Images through model-service to an Ollama node (a double speaking Ollama's wire format): the node's capabilities in
 * {@code /api/show}, images carried to the node in each dialect, refused for a model that cannot read them, and never
 * answered from the semantic cache.
 */
@ExtendWith(ModelServiceHarness.class)
class VisionIT {
    private static final String VISION = "llava";
    private static final String TEXT_ONLY = "textonly";
    /** A 1x1 PNG. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private OllamaDouble ollama;
    private OllamaConfig nodes;
    private ServiceMetrics metrics;
    private OllamaBackend node;
    private ServiceApp service;

    @BeforeEach
    void start() {
        ollama = OllamaDouble.start()
                .withModel(VISION, List.of("completion", "vision"))
                .withModel(TEXT_ONLY);
        nodes = new OllamaConfig(
                List.of(ollama.baseUrl()),
                Optional.empty(),
                List.of(),
                false,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        metrics = new ServiceMetrics("model");
        node = new OllamaBackend(ollama.baseUrl(), nodes, metrics);
        node.start();
        service = serve(ModelServiceConfig.DEFAULT_MAX_IMAGE_BODY_BYTES);
    }

    /** model-service over the node double, cache on, chat requests with images admitted up to {@code imageLimit}. */
    private ServiceApp serve(long imageLimit) {
        ModelServiceConfig base = ModelServiceHarness.config(Optional.empty(), Optional.of(nodes));
        ModelServiceConfig cached = base.toBuilder()
                .cache(CacheConfig.defaults())
                .maxImageBodyBytes(imageLimit)
                .build();
        return ModelServiceApp.create(cached, metrics, List.<Backend>of(node), ModelServiceHarness.EMBEDDER)
                .start();
    }

    @AfterEach
    void stop() {
        service.stop();
        ollama.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return Http.post(service.baseUrl(), path, body, "Authorization", "Bearer " + ModelServiceHarness.TOKEN);
    }

    /** Ollama's chat with one user message showing {@link #PNG}. */
    private HttpResponse<String> chatWithImage(String model) throws Exception {
        return chatWithImage(service.baseUrl(), model);
    }

    private static HttpResponse<String> chatWithImage(URI service, String model) throws Exception {
        return Http.post(
                service,
                "/api/chat",
                "{\"model\": \"" + model + "\", \"stream\": false, \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"what is this?\", \"images\": [\"" + PNG + "\"]}]}",
                "Authorization",
                "Bearer " + ModelServiceHarness.TOKEN);
    }

    /** A base64 "image" of {@code bytes} random bytes: a photo that was not scaled down. */
    private static String photo(int bytes) {
        byte[] data = new byte[bytes];
        new java.util.Random(3).nextBytes(data);
        return java.util.Base64.getEncoder().encodeToString(data);
    }

    private static String ollamaChat(String model, String content, String image) {
        return Json.write(java.util.Map.of(
                "model",
                model,
                "stream",
                false,
                "messages",
                List.of(
                        image == null
                                ? java.util.Map.of("role", "user", "content", content)
                                : java.util.Map.of("role", "user", "content", content, "images", List.of(image)))));
    }

    @Test
    void should_admit_a_chat_with_an_image_over_the_body_limit_when_it_is_under_the_image_limit() throws Exception {
        // given: a 3 MB image, over JERRY_MAX_BODY_BYTES (1 MiB), under JERRY_MAX_IMAGE_BODY_BYTES (16 MiB)
        String image = photo(2_300_000);

        // when
        var response = post("/api/chat", ollamaChat(VISION, "what is this?", image));

        // then: the node got it whole
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ollama.images()).containsExactly(image);
    }

    @Test
    void should_refuse_a_chat_without_images_over_the_body_limit_naming_both_limits() throws Exception {
        // given: 1.5 MB of text, no image
        String text = "word ".repeat(300_000);

        // when
        var response = post("/api/chat", ollamaChat(VISION, text, null));

        // then: Ollama's error shape, saying which limit and that only images earn the larger one
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(Json.mapper().readTree(response.body()).path("error").asText())
                .contains("the limit is 1048576 bytes (JERRY_MAX_BODY_BYTES)")
                .contains("JERRY_MAX_IMAGE_BODY_BYTES");
        assertThat(ollama.requests("/api/chat")).isEmpty();
    }

    @Test
    void should_refuse_a_chat_with_images_over_the_image_limit_naming_its_variable() throws Exception {
        // given: images admitted up to 2 MiB, and a 3 MB image
        ServiceApp small = serve(2L * 1024 * 1024);
        try {
            // when
            var response = Http.post(
                    small.baseUrl(),
                    "/v1/chat/completions",
                    Json.write(java.util.Map.of(
                            "model",
                            VISION,
                            "messages",
                            List.of(java.util.Map.of(
                                    "role",
                                    "user",
                                    "content",
                                    List.of(java.util.Map.of(
                                            "type",
                                            "image_url",
                                            "image_url",
                                            java.util.Map.of("url", "data:image/jpeg;base64," + photo(2_300_000)))))))),
                    "Authorization",
                    "Bearer " + ModelServiceHarness.TOKEN);

            // then: OpenAI's error shape, naming the image limit
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(Json.mapper()
                            .readTree(response.body())
                            .path("error")
                            .path("message")
                            .asText())
                    .contains("the limit is 2097152 bytes (JERRY_MAX_IMAGE_BODY_BYTES)");
            assertThat(ollama.requests("/api/chat")).isEmpty();
        } finally {
            small.stop();
        }
    }

    @Test
    void should_report_the_nodes_capabilities_when_a_node_model_is_shown() throws Exception {
        // when
        JsonNode vision = Json.mapper()
                .readTree(post("/api/show", "{\"model\": \"" + VISION + "\"}").body());
        JsonNode text = Json.mapper()
                .readTree(
                        post("/api/show", "{\"model\": \"" + TEXT_ONLY + "\"}").body());

        // then
        assertThat(vision.path("capabilities")).extracting(JsonNode::asText).containsExactly("completion", "vision");
        assertThat(text.path("capabilities")).extracting(JsonNode::asText).containsExactly("completion", "tools");
    }

    @Test
    void should_carry_an_image_to_the_node_when_sent_on_an_ollama_chat_message() throws Exception {
        // when
        var response = chatWithImage(VISION);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = ollama.requests("/api/chat").getLast().path("messages").path(0);
        assertThat(sent.path("images")).extracting(JsonNode::asText).containsExactly(PNG);
        assertThat(sent.path("content").asText()).isEqualTo("what is this?");
    }

    @Test
    void should_carry_an_image_to_the_node_when_sent_as_an_openai_image_url_part() throws Exception {
        // when
        var response = post(
                "/v1/chat/completions",
                "{\"model\": \"" + VISION + "\", \"messages\": [{\"role\": \"user\", \"content\": ["
                        + "{\"type\": \"text\", \"text\": \"what is this?\"}, {\"type\": \"image_url\", "
                        + "\"image_url\": {\"url\": \"data:image/png;base64," + PNG + "\"}}]}]}");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ollama.images()).containsExactly(PNG);
        JsonNode sent = ollama.requests("/api/chat").getLast().path("messages").path(0);
        assertThat(sent.path("content").asText()).isEqualTo("what is this?");
    }

    @Test
    void should_carry_an_image_to_the_node_when_sent_on_an_ollama_generate() throws Exception {
        // when
        var response = post(
                "/api/generate",
                "{\"model\": \"" + VISION + "\", \"stream\": false, \"prompt\": \"what is this?\", " + "\"images\": [\""
                        + PNG + "\"]}");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ollama.images()).containsExactly(PNG);
    }

    @Test
    void should_refuse_an_image_naming_the_model_when_the_node_model_cannot_read_images() throws Exception {
        // when
        var response = chatWithImage(TEXT_ONLY);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(TEXT_ONLY).contains("cannot read images");
        assertThat(ollama.chatCount()).isZero();
    }

    @Test
    void should_refuse_an_image_naming_the_field_when_it_is_not_base64() throws Exception {
        // when
        var ollamaDialect = post(
                "/api/chat",
                "{\"model\": \"" + VISION + "\", \"stream\": false, \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"what is this?\", \"images\": [\"not base64!\"]}]}");
        var openAiDialect = post(
                "/v1/chat/completions",
                "{\"model\": \"" + VISION + "\", \"messages\": [{\"role\": \"user\", \"content\": ["
                        + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/a.png\"}}]}]}");

        // then
        assertThat(ollamaDialect.statusCode()).as(ollamaDialect.body()).isEqualTo(400);
        assertThat(ollamaDialect.body()).contains("messages[0].images[0]");
        assertThat(openAiDialect.statusCode()).as(openAiDialect.body()).isEqualTo(400);
        assertThat(openAiDialect.body()).contains("messages[0].content[0].image_url.url");
        assertThat(ollama.chatCount()).isZero();
    }

    @Test
    void should_not_answer_from_the_cache_when_the_same_question_comes_with_an_image() throws Exception {
        // given: a text-only answer in the cache, and proof that the cache answers a repeat of it
        String text = "{\"model\": \"" + VISION + "\", \"stream\": false, \"options\": {\"temperature\": 0}, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"what is in the picture?\"}]}";
        assertThat(post("/api/chat", text).statusCode()).isEqualTo(200);
        JsonNode repeat = Json.mapper().readTree(post("/api/chat", text).body());
        assertThat(repeat.path("cached").asBoolean()).as(repeat.toString()).isTrue();
        int asked = ollama.chatCount();

        // when
        var withImage = post(
                "/api/chat",
                text.replace(
                        "\"what is in the picture?\"}", "\"what is in the picture?\", \"images\": [\"" + PNG + "\"]}"));

        // then
        assertThat(withImage.statusCode()).as(withImage.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(withImage.body()).path("cached").asBoolean())
                .isFalse();
        assertThat(ollama.chatCount()).isEqualTo(asked + 1);
        assertThat(withImage.headers().firstValue("X-Jerry-Cache")).contains("bypass");
        assertThat(ollama.images()).containsExactly(PNG);
    }

    @Test
    void should_refuse_an_image_naming_the_model_when_the_model_is_a_local_gguf(ModelServiceHarness.Running local)
            throws Exception {
        // when
        var response = Http.post(
                local.baseUrl(),
                "/v1/chat/completions",
                "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": ["
                        + "{\"type\": \"text\", \"text\": \"what is this?\"}, {\"type\": \"image_url\", "
                        + "\"image_url\": {\"url\": \"data:image/png;base64," + PNG + "\"}}]}]}",
                local.auth());

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("'tiny'").contains("cannot read images");
    }

    @Test
    void should_carry_an_image_as_an_image_url_part_when_the_model_is_on_an_openai_compatible_server()
            throws Exception {
        // given: a second model-service that reaches this one through its OpenAI API (an OpenAI-compatible server)
        var openai = new OpenAiConfig(
                service.baseUrl().resolve("/v1"),
                Optional.of(new Secret(ModelServiceHarness.TOKEN)),
                List.of(VISION),
                Duration.ofSeconds(30));
        var metrics = new ServiceMetrics("model");
        ServiceApp front = ModelServiceApp.create(
                        ModelServiceHarness.openAiFront(openai),
                        metrics,
                        List.<Backend>of(new OpenAiBackend(openai, metrics)),
                        ModelServiceHarness.EMBEDDER)
                .start();
        try {
            // when
            var response = chatWithImage(front.baseUrl(), VISION);

            // then: this service got it as an image_url part, and passed it on to the node
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(ollama.images()).containsExactly(PNG);
        } finally {
            front.stop();
        }
    }
}
