package dev.jerry.kit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibraryLogLevelTest {
    @Test
    void should_let_only_library_errors_through_when_jerrys_level_is_the_default_or_info() {
        // when / then
        assertThat(LibraryLogLevel.forJerryLevel(null)).isEqualTo("ERROR");
        assertThat(LibraryLogLevel.forJerryLevel("INFO")).isEqualTo("ERROR");
        assertThat(LibraryLogLevel.forJerryLevel("WARN")).isEqualTo("ERROR");
    }

    @Test
    void should_let_library_warnings_through_when_jerry_debugs() {
        // when / then
        assertThat(LibraryLogLevel.forJerryLevel(" debug ")).isEqualTo("WARN");
        assertThat(LibraryLogLevel.forJerryLevel("TRACE")).isEqualTo("DEBUG");
    }
}
