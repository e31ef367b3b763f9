package dev.jerry.model.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenerationTest {
    @Test
    void should_never_carry_a_nul_character_because_model_service_refuses_one_when_it_is_sent_back() {
        // given: a model that emitted the byte 0 (random weights do)
        String emitted = "ab\u0000c";

        // when
        var generation = new Generation(emitted, "stop", 3, 3, 0, 0);

        // then
        assertThat(generation.text()).isEqualTo("abc");
    }
}
