package dev.jerry.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelNameTest {
    @Test
    void should_mean_latest_when_a_name_has_no_tag() {
        // given
        ModelName bare = ModelName.of("qwen2.5");

        // when / then
        assertThat(bare.tagged()).isEqualTo("qwen2.5:latest");
        assertThat(bare.display()).isEqualTo("qwen2.5");
        assertThat(bare.matches("qwen2.5:latest")).isTrue();
        assertThat(ModelName.display("qwen2.5:latest")).isEqualTo("qwen2.5");
    }

    @Test
    void should_keep_a_tag_other_than_latest_when_shortening() {
        // given
        ModelName tagged = ModelName.of("llama3.2:3b");

        // when / then
        assertThat(tagged.display()).isEqualTo("llama3.2:3b");
        assertThat(tagged.tagged()).isEqualTo("llama3.2:3b");
        assertThat(tagged.matches("llama3.2")).isFalse();
    }

    @Test
    void should_not_take_a_registry_port_for_a_tag_when_the_name_has_a_host() {
        // given
        ModelName hosted = ModelName.of("registry.local:5000/team/model");

        // when / then
        assertThat(hosted.tag()).isEqualTo("latest");
        assertThat(hosted.tagged()).isEqualTo("registry.local:5000/team/model:latest");
    }

    @Test
    void should_refuse_a_blank_name_when_parsing() {
        assertThatThrownBy(() -> ModelName.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_accept_registry_names_when_they_are_well_formed() {
        // given
        var names = java.util.List.of(
                "llama3.2",
                "llama3.2:3b",
                "registry.local:5000/team/model:q4_K_M",
                "hf.co/bartowski/Llama-3.2-1B:Q4_K_M");

        // when / then
        assertThat(names).allSatisfy(name -> assertThat(ModelName.problem(name)).isEmpty());
    }

    @Test
    void should_say_what_is_wrong_when_a_name_is_malformed() {
        // given
        var names = java.util.List.of("", "../etc/passwd", "llama 3", "model:", "a:b:c", "-dash", "x".repeat(300));

        // when / then
        assertThat(names).allSatisfy(name -> assertThat(ModelName.problem(name)).isPresent());
        assertThat(ModelName.problem("llama 3").orElseThrow()).contains("not a valid model name");
    }
}
