package dev.jerry.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvTest {
    enum Mode {
        LOCAL,
        REMOTE_NODE
    }

    @Test
    void should_fall_back_to_defaults_when_nothing_is_set() {
        Env env = Env.of(Map.of());

        assertThat(env.integer("JERRY_X_PORT", 8081, 0, 65535)).isEqualTo(8081);
        assertThat(env.bool("JERRY_X_FLAG", true)).isTrue();
        assertThat(env.duration("JERRY_X_TIMEOUT", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(env.secret("JERRY_X_TOKEN")).isEmpty();
        assertThat(env.url("JERRY_X_URL")).isEmpty();
    }

    @Test
    void should_treat_a_blank_value_as_unset() {
        assertThat(Env.of(Map.of("JERRY_X_PORT", "  ")).integer("JERRY_X_PORT", 1, 0, 9))
                .isEqualTo(1);
    }

    @Test
    void should_name_the_variable_and_the_reason_for_a_bad_number() {
        assertThatThrownBy(() -> Env.of(Map.of("JERRY_MODEL_PORT", "eighty")).integer("JERRY_MODEL_PORT", 1, 0, 65535))
                .isInstanceOf(ConfigException.class)
                .hasMessage("JERRY_MODEL_PORT: must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> Env.of(Map.of("JERRY_MODEL_PORT", "70000")).integer("JERRY_MODEL_PORT", 1, 0, 65535))
                .hasMessage("JERRY_MODEL_PORT: must be between 0 and 65535, got 70000");
    }

    @Test
    void should_parse_durations_with_units() {
        Env env = Env.of(Map.of("A", "250ms", "B", "30s", "C", "5m", "D", "2h", "E", "7", "F", "soon"));

        assertThat(env.duration("A", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.duration("B", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(env.duration("C", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(env.duration("D", null)).isEqualTo(Duration.ofHours(2));
        assertThat(env.duration("E", null)).isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> env.duration("F", null)).hasMessageStartingWith("F: must be a duration");
    }

    @Test
    void should_parse_booleans_enums_and_urls_or_say_what_is_allowed() {
        Env env = Env.of(Map.of(
                "B",
                "yes",
                "BAD",
                "maybe",
                "M",
                "remote-node",
                "BADM",
                "cloud",
                "U",
                "http://ollama:11434/",
                "BADU",
                "ftp://x"));

        assertThat(env.bool("B", false)).isTrue();
        assertThatThrownBy(() -> env.bool("BAD", false)).hasMessage("BAD: must be true or false, got 'maybe'");
        assertThat(env.enumValue("M", Mode.class, Mode.LOCAL)).isEqualTo(Mode.REMOTE_NODE);
        assertThatThrownBy(() -> env.enumValue("BADM", Mode.class, Mode.LOCAL))
                .hasMessage("BADM: must be one of local, remote_node, got 'cloud'");
        assertThat(env.url("U"))
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://ollama:11434"));
        assertThatThrownBy(() -> env.url("BADU")).hasMessageStartingWith("BADU: must be an http:// or https:// URL");
    }

    @Test
    void should_read_a_secret_from_a_file_and_redact_it_when_printed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "s3cret-value\n");

        Secret secret = Env.of(Map.of("JERRY_TOKEN_FILE", file.toString()))
                .secret("JERRY_TOKEN")
                .orElseThrow();

        assertThat(secret.value()).isEqualTo("s3cret-value");
        assertThat(secret.toString()).doesNotContain("s3cret");
        record Holder(String name, Secret token) {}
        assertThat(new Holder("x", secret).toString()).doesNotContain("s3cret");
    }

    @Test
    void should_refuse_a_secret_set_twice_or_from_a_missing_or_empty_file(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() ->
                        Env.of(Map.of("JERRY_T", "a", "JERRY_T_FILE", "/x")).secret("JERRY_T"))
                .hasMessage("JERRY_T: set either JERRY_T or JERRY_T_FILE, not both");
        assertThatThrownBy(() -> Env.of(
                                Map.of("JERRY_T_FILE", dir.resolve("missing").toString()))
                        .secret("JERRY_T"))
                .hasMessageStartingWith("JERRY_T_FILE: cannot read");
        assertThatThrownBy(
                        () -> Env.of(Map.of("JERRY_T_FILE", empty.toString())).secret("JERRY_T"))
                .hasMessageEndingWith("is empty");
    }
}
