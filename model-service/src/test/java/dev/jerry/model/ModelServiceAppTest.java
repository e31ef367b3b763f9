package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.download.Presets;
import dev.jerry.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServiceAppTest {

    @Test
    void should_serve_liveness_and_say_what_is_missing_without_any_model() {
        var env = Env.of(Map.of("JERRY_MODEL_PORT", "0", "JERRY_MODEL_PRESET", "none"));
        ServiceApp app = ModelServiceApp.create(ModelServiceConfig.fromEnv(env), new ServiceMetrics("model"))
                .start();
        try {
            var live = Http.get(app.baseUrl(), "/health/live");
            var ready = Http.get(app.baseUrl(), "/health/ready");
            var chat = Http.post(
                    app.baseUrl(), "/v1/inference", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("JERRY_MODEL_PATH").contains("JERRY_OLLAMA_URL");
            assertThat(chat.statusCode()).isEqualTo(503);
            assertThat(chat.body()).contains("no chat model is configured");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_choose_a_pinned_preset_by_default_and_none_when_a_model_is_given() {
        var defaults = ModelServiceConfig.fromEnv(Env.of(Map.of()));
        var withOllama = ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_OLLAMA_URL", "http://127.0.0.1:11434")));

        assertThat(defaults.backends().preset()).hasValueSatisfying(p -> {
            assertThat(p.preset().pinned()).isTrue();
            assertThat(p.sha256()).matches("[0-9a-f]{64}");
        });
        assertThat(withOllama.backends().preset()).isEmpty();
    }

    @Test
    void should_choose_presets_by_memory_among_pinned_ones() {
        Presets presets = Presets.shipped();

        assertThat(presets.chooseFor(2_000_000_000L).name()).isEqualTo("llama3.2-1b-q4");
        assertThat(presets.chooseFor(6_000_000_000L).name()).isEqualTo("llama3.2-3b-q4");
        // the 8B presets have no pinned checksum, so a big machine still gets a verifiable default
        assertThat(presets.chooseFor(64_000_000_000L).name()).isEqualTo("llama3.2-3b-q4");
    }

    @Test
    void should_name_the_variable_of_a_bad_port_an_unknown_preset_or_an_unpinned_one() {
        assertThatThrownBy(() -> ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_MODEL_PORT", "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("JERRY_MODEL_PORT:");
        assertThatThrownBy(() -> ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_MODEL_PRESET", "gpt-9"))))
                .hasMessageStartingWith(
                        "JERRY_MODEL_PRESET: unknown preset 'gpt-9'; known: auto, none, llama3.2-1b-q4");
        assertThatThrownBy(() -> ModelServiceConfig.fromEnv(Env.of(Map.of("JERRY_MODEL_PRESET", "llama3.1-8b-q8"))))
                .hasMessageStartingWith("JERRY_MODEL_SHA256: preset 'llama3.1-8b-q8' has no pinned checksum");
    }
}
