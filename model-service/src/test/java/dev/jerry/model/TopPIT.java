package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code top_p} in every chat dialect reaches the node that generates (as Ollama's {@code options.top_p}); out of
 * range it is refused like temperature (RobustnessIT has those cases against llama.cpp).
 */
class TopPIT {
    private static final String MODEL = "sampler";
    private OllamaDouble ollama;
    private ServiceApp service;

    @BeforeEach
    void start() {
        ollama = OllamaDouble.start().withModel(MODEL);
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
        service = ModelServiceApp.create(
                        ModelServiceHarness.config(Optional.empty(), Optional.of(nodes)),
                        metrics,
                        List.<Backend>of(node),
                        ModelServiceHarness.EMBEDDER)
                .start();
    }

    @AfterEach
    void stop() {
        service.stop();
        ollama.close();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/chat/completions | \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_p\": 0.25",
                "/v1/inference        | \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_p\": 0.25",
                "/v1/completions      | \"prompt\": \"hi\", \"top_p\": 0.25",
                "/api/chat            | \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"options\": {\"top_p\": 0.25}",
                "/api/generate        | \"prompt\": \"hi\", \"options\": {\"top_p\": 0.25}"
            })
    void should_pass_top_p_to_the_node_when_a_dialect_sets_it(String path, String fields) throws Exception {
        // when
        var response = Http.post(
                service.baseUrl(),
                path,
                "{\"model\": \"" + MODEL + "\", \"stream\": false, " + fields + "}",
                "Authorization",
                "Bearer " + ModelServiceHarness.TOKEN);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> sent = new ArrayList<>(ollama.requests("/api/chat"));
        sent.addAll(ollama.requests("/api/generate"));
        assertThat(sent).as("what the node was asked").hasSize(1);
        assertThat(sent.getFirst().path("options").path("top_p").asDouble()).isEqualTo(0.25);
    }
}
