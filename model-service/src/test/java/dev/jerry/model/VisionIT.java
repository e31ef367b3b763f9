package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images through model-service to an Ollama node (a double speaking Ollama's wire format): the node's capabilities in
 * {@code /api/show}, images carried to the node in each dialect, refused for a model that cannot read them, and never
 * answered from the semantic cache.
 */
class VisionIT {
    private static final String VISION = "llava";
    private static final String TEXT_ONLY = "textonly";
    /** A 1x1 PNG. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private OllamaDouble ollama;
    private ServiceApp service;

    @BeforeEach
    void start() {
        ollama = OllamaDouble.start()
                .withModel(VISION, List.of("completion", "vision"))
                .withModel(TEXT_ONLY);
        var nodes = new OllamaConfig(
                List.of(ollama.baseUrl()),
                Optional.empty(),
                List.of(),
                false,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        var metrics = new ServiceMetrics("model");
        OllamaBackend node = new OllamaBackend(ollama.baseUrl(), nodes, metrics);
        node.start();
        ModelServiceConfig base = ModelServiceHarness.config(Optional.empty(), Optional.of(nodes));
        ModelServiceConfig cached = new ModelServiceConfig(
                base.server(),
                base.backends(),
                CacheConfig.defaults(),
                base.queue(),
                base.defaultMaxTokens(),
                base.fallbackModel(),
                base.localEngine(),
                base.fleet(),
                base.placement());
        service = ModelServiceApp.create(cached, metrics, List.<Backend>of(node), ModelServiceHarness.EMBEDDER)
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
}
