package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void should_escape_newlines_and_bidi_marks_so_a_file_name_cannot_forge_a_line() {
        // given
        String name = "evil.md\n  secrets.pdf: unchanged\r\u202Efdp.txt\u200F";

        // when
        String printed = Printable.escape(name);

        // then
        assertThat(printed)
                .doesNotContain("\n", "\r", "\u202E", "\u200F")
                .isEqualTo("evil.md\\n  secrets.pdf: unchanged\\r\\u202Efdp.txt\\u200F");
        assertThat(Printable.escape("Überblick/naïve café.pdf")).isEqualTo("Überblick/naïve café.pdf");
    }

    @Test
    void should_say_why_a_path_cannot_be_read_instead_of_repeating_the_path() {
        assertThat(Printable.reason(new AccessDeniedException("/data/manuals"))).isEqualTo("permission denied");
        assertThat(Printable.reason(new java.io.IOException("Input/output error")))
                .isEqualTo("Input/output error");
    }

    @Test
    void should_print_escaped_names_and_periodic_progress_without_a_terminal() {
        // given
        StringWriter out = new StringWriter();
        var lines = new ProgressListeners.Lines(new PrintWriter(out), Duration.ZERO);

        // when
        lines.started(1);
        lines.embedded("big\nlog.txt", 320, 16_000);
        lines.done("big\nlog.txt", new Outcome.Added());

        // then
        assertThat(out.toString().lines())
                .containsExactly(
                        "ingesting 1 document(s)",
                        "  big\\nlog.txt: 320 of 16000 chunks embedded",
                        "  big\\nlog.txt: new");
    }

    @Test
    void should_tell_gone_only_what_is_not_under_something_unreadable() {
        // given: notes/ could not be listed
        var discovery = new DocumentFinder.Discovery(
                List.of(new DocumentFinder.Found(Path.of("/d/a.md"), "a.md")), List.of(), 0, Set.of("notes", "notes/"));

        // then
        assertThat(discovery.gone("a.md")).isFalse();
        assertThat(discovery.gone("notes/garden.md")).isFalse();
        assertThat(discovery.gone("notes")).isFalse();
        assertThat(discovery.gone("recipes.txt")).isTrue();
        assertThat(discovery.gone("notes2/x.md")).isTrue();
        var unreadableRoot = new DocumentFinder.Discovery(List.of(), List.of(), 0, Set.of(""));
        assertThat(unreadableRoot.gone("recipes.txt")).isFalse();
    }
}
