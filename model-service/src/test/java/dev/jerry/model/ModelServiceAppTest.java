package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServiceAppTest {

    @Test
    void should_serve_liveness_on_embedded_defaults() {
        ServiceApp app = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_MODEL_PORT", "0"))),
                        new ServiceMetrics("model"))
                .start();
        try {
            var live = Http.get(app.baseUrl(), "/health/live");

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"service\":\"model\"");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_name_the_variable_of_a_bad_port() {
        assertThatThrownBy(() -> ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_MODEL_PORT", "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("JERRY_MODEL_PORT:");
    }
}
