package dev.jerry.model.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.error.ServiceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSpecTest {
    private static NodeSpec spec(String name, String url, Double vram) {
        return new NodeSpec(name, url, null, vram, List.of());
    }

    @Test
    void should_name_the_field_at_fault_when_a_registration_is_bad() {
        // given
        var badName = spec("GPU box", "http://gpu:11434", null);
        var badUrl = spec("gpu", "gpu:11434", null);
        var badVram = spec("gpu", "http://gpu:11434", -1.0);

        // when / then
        assertThatThrownBy(badName::validated)
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("name");
        assertThatThrownBy(badUrl::validated)
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("url");
        assertThatThrownBy(badVram::validated)
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("vram_gib");
    }

    @Test
    void should_keep_the_url_without_a_trailing_slash_and_vram_in_bytes_when_valid() {
        // given
        var spec = spec("gpu-box", "http://gpu-box:11434/", 16.0).validated();

        // when / then
        assertThat(spec.uri().toString()).isEqualTo("http://gpu-box:11434");
        assertThat(spec.vramBytes()).hasValue(16L << 30);
    }

    @Test
    void should_not_show_the_token_when_printed() {
        // given
        var spec = new NodeSpec("gpu", "http://gpu:11434", "secret-token-123", null, List.of());

        // when / then
        assertThat(spec.toString()).doesNotContain("secret-token-123").contains("[redacted]");
    }

    @Test
    void should_refuse_a_retry_maximum_shorter_than_the_check_interval() {
        // given
        Env env = Env.of(Map.of("JERRY_FLEET_CHECK_INTERVAL", "30s", "JERRY_FLEET_RETRY_MAX", "10s"));

        // when / then
        assertThatThrownBy(() -> FleetConfig.fromEnv(env, Path.of("/data")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JERRY_FLEET_RETRY_MAX");
        assertThat(FleetConfig.fromEnv(Env.of(Map.of()), Path.of("/data")))
                .isEqualTo(new FleetConfig(
                        Path.of("/data/model-service/nodes.json"),
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        true));
    }
}
