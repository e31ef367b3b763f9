package dev.jerry.model.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.api.ModelStatus;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/status} of a real model-service in front of an Ollama double, read as the bot reads it. */
class StatusIT {
    private static final String QUESTION =
            "{\"messages\":[{\"role\":\"user\",\"content\":\"How is the reactor core cooled?\"}],\"max_tokens\":8}";

    @Test
    void should_report_models_backends_queues_and_cache_lookups() throws Exception {
        // given: one answer generated, then the same question answered from the cache
        try (OllamaDouble ollama = OllamaDouble.start().withModel("llama3.2:3b")) {
            ServiceApp model = ModelServiceApp.create(
                            ModelServiceConfig.fromEnv(Env.of(Map.of(
                                    "JERRY_MODEL_PORT", "0",
                                    "JERRY_OLLAMA_URL", ollama.baseUrl().toString(),
                                    "JERRY_OLLAMA_MODELS", "llama3.2:3b"))),
                            new ServiceMetrics("model"))
                    .start();
            try {
                assertThat(Http.post(model.baseUrl(), "/v1/inference", QUESTION).statusCode())
                        .isEqualTo(200);
                assertThat(Http.post(model.baseUrl(), "/v1/inference", QUESTION).body())
                        .contains("\"cached\":true");

                // when
                HttpResponse<String> response = Http.get(model.baseUrl(), "/v1/status");

                // then
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                ModelStatus status = Json.mapper().readValue(response.body(), ModelStatus.class);
                assertThat(status.ready()).isTrue();
                assertThat(status.models()).containsExactly("llama3.2:3b");
                assertThat(status.backends())
                        .singleElement()
                        .satisfies(b -> assertThat(b.ready()).isTrue())
                        .satisfies(b -> assertThat(b.name()).startsWith("ollama"));
                assertThat(status.queues())
                        .singleElement()
                        .satisfies(q -> assertThat(q.waiting()).isZero())
                        .satisfies(q -> assertThat(q.running()).isZero())
                        .satisfies(q -> assertThat(q.concurrency()).isPositive());
                assertThat(status.cache()).isEqualTo(new ModelStatus.Cache(1, 1));
            } finally {
                model.stop();
            }
        }
    }
}
