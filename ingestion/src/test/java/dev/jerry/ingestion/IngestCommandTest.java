package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.config.Env;
import dev.jerry.testing.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IngestCommandTest {
    private static final String DEAD_CHROMA = "http://127.0.0.1:" + Ports.free();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return run(Map.of("JERRY_CHROMA_URL", DEAD_CHROMA), args);
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new IngestCommand(Env.of(env)));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void should_find_documents_recursively_skipping_hidden_and_unsupported_files(@TempDir Path dir) throws Exception {
        // given
        Files.createDirectories(dir.resolve("manuals/deep"));
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve("manuals/guide.PDF"), "%PDF-1.7");
        Files.writeString(dir.resolve("manuals/deep/notes.md"), "# notes");
        Files.writeString(dir.resolve("readme.txt"), "hi");
        Files.writeString(dir.resolve("photo.jpg"), "jpg");
        Files.writeString(dir.resolve(".git/config.txt"), "hidden");
        Files.writeString(dir.resolve(".secret.md"), "hidden");

        // when
        var discovery = new DocumentFinder().find(java.util.List.of(dir));

        // then
        assertThat(discovery.documents())
                .containsExactly(
                        dir.resolve("manuals/deep/notes.md"),
                        dir.resolve("manuals/guide.PDF"),
                        dir.resolve("readme.txt"));
        assertThat(discovery.problems()).isEmpty();
    }

    @Test
    void should_name_stable_sources_relative_to_the_folder_given(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("manuals"));
        Files.writeString(dir.resolve("manuals/guide.md"), "# Guide");
        Files.writeString(dir.resolve("single.txt"), "x");

        var found = new DocumentFinder()
                .find(java.util.List.of(dir, dir.resolve("single.txt")))
                .found();

        assertThat(found).extracting(DocumentFinder.Found::source).containsExactly("manuals/guide.md", "single.txt");
    }

    @Test
    void should_say_when_chroma_is_unreachable_and_exit_1(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.md"), "# a");

        int code = run(dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Chroma is not reachable at " + DEAD_CHROMA + " (JERRY_CHROMA_URL)");
    }

    @Test
    void should_refuse_a_bad_collection_name_with_exit_2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.md"), "# a");

        assertThat(run("--collection", "x", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--collection: must be 3-63 letters");
    }

    @Test
    void should_refuse_an_attachments_collection_with_exit_2_whether_named_by_option_or_variable(@TempDir Path dir)
            throws Exception {
        // given: names under the prefix of agent-service's per-conversation attachment collections
        Files.writeString(dir.resolve("a.md"), "# a");

        // when
        int byOption = run("--collection", "scratch-0123456789abcdef", dir.toString());
        String optionError = err.toString();
        int byCase = run("--collection", "Scratch-ABC", dir.toString());
        int byVariable = run(
                Map.of("JERRY_CHROMA_URL", DEAD_CHROMA, "JERRY_COLLECTION", "scratch-0123456789abcdef"),
                dir.toString());

        // then
        assertThat(byOption).isEqualTo(2);
        assertThat(optionError)
                .contains("--collection: may not start with 'scratch-'")
                .contains("reserved for the attachments of conversations")
                .doesNotContain("Chroma is not reachable");
        assertThat(byCase).isEqualTo(2);
        assertThat(byVariable).isEqualTo(2);
        assertThat(err.toString()).contains("JERRY_COLLECTION: may not start with 'scratch-'");
    }

    @Test
    void should_exit_1_when_nothing_can_be_done_and_2_on_bad_usage(@TempDir Path dir) {
        assertThat(run("--dry-run", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nothing to ingest");
        assertThat(run("--no-such-option", dir.toString())).isEqualTo(2);
    }
}
