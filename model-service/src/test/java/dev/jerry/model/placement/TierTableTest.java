package dev.jerry.model.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.model.download.Presets;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TierTableTest {
    private static OptionalLong gib(long gib) {
        return OptionalLong.of(gib << 30);
    }

    @Test
    void should_choose_the_highest_tier_the_vram_reaches() {
        // given
        TierTable table = TierTable.parse("0=llama3.2:1b, 6=llama3.2:3b, 12=llama3.1:8b+nomic-embed-text");

        // when / then
        assertThat(table.modelsFor(gib(4))).containsExactly("llama3.2:1b");
        assertThat(table.modelsFor(gib(6))).containsExactly("llama3.2:3b");
        assertThat(table.modelsFor(gib(16))).containsExactly("llama3.1:8b", "nomic-embed-text");
        assertThat(table.modelsFor(OptionalLong.empty())).as("unknown VRAM").isEmpty();
    }

    @Test
    void should_default_to_the_tiers_of_the_model_presets() {
        // when
        TierTable table = TierTable.fromEnv(Env.of(Map.of()));

        // then
        assertThat(table).isEqualTo(TierTable.ofPresets(Presets.shipped()));
        assertThat(table.modelsFor(gib(4))).containsExactly("llama3.2:1b");
        assertThat(table.modelsFor(gib(8))).containsExactly("llama3.1:8b");
        assertThat(table.modelsFor(gib(16))).containsExactly("llama3.1:8b-instruct-q8_0");
    }

    @Test
    void should_place_nothing_when_off() {
        assertThat(TierTable.fromEnv(Env.of(Map.of(TierTable.VARIABLE, "off"))).modelsFor(gib(64)))
                .isEmpty();
    }

    @Test
    void should_name_the_variable_and_the_fault_when_a_tier_is_malformed() {
        assertThatThrownBy(() -> TierTable.parse("8:llama3.1:8b"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TierTable.VARIABLE)
                .hasMessageContaining("GIB=model");
        assertThatThrownBy(() -> TierTable.parse("lots=llama3.1:8b"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'lots' is not a number");
        assertThatThrownBy(() -> TierTable.parse("8=../etc"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a valid model name");
    }
}
