package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IngestCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new IngestCommand());
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
    void should_report_missing_and_unsupported_paths_and_still_list_the_rest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.md"), "# a");
        Files.writeString(dir.resolve("b.docx"), "x");

        int code = run(
                "--dry-run",
                dir.resolve("a.md").toString(),
                dir.resolve("b.docx").toString(),
                dir.resolve("missing").toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("a.md").contains("1 document(s) found for collection 'jerry'");
        assertThat(err.toString())
                .contains("b.docx: not a supported document")
                .contains("missing: no such file or folder");
    }

    @Test
    void should_exit_1_when_nothing_can_be_done_and_2_on_bad_usage(@TempDir Path dir) {
        assertThat(run("--dry-run", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nothing to ingest");
        assertThat(run("--no-such-option", dir.toString())).isEqualTo(2);
    }

    @Test
    void should_use_the_given_collection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");

        run("--dry-run", "--collection", "manuals", dir.toString());

        assertThat(out.toString()).contains("for collection 'manuals'");
    }
}
