package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.ServiceProcess;
import dev.jerry.testing.TestPdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI as {@code ./jerry ingest} runs it, on PDFs with fonts PDFBox cannot map to Unicode: what the user
 * sees holds Jerry's sentences only, no library's log lines (PDFBox fonts, DJL's GPU probe, the tokenizer's
 * defaults), and the lost characters are counted per file.
 */
@ExtendWith(ChromaExtension.class)
class QuietOutputIT {
    /** A log line of any logger that is not Jerry's, as the shared logback pattern prints it. */
    private static final String LIBRARY_LOG_LINE =
            "(?m)^\\S+ (TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\[[^]]*] (?!d\\.j\\.|dev\\.jerry|jerry\\.)";

    private static String ingest(ChromaServer chroma, Path dir, String collection, String... extraEnv)
            throws Exception {
        Path log = dir.resolve(collection + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        ServiceProcess.home(),
                        "-jar",
                        Path.of("target/ingestion.jar").toString(),
                        dir.resolve("docs").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("JERRY_LOG_LEVEL");
        builder.environment().put("JERRY_CHROMA_URL", chroma.baseUrl().toString());
        builder.environment().put("JERRY_COLLECTION", collection);
        for (int i = 0; i < extraEnv.length; i += 2) {
            builder.environment().put(extraEnv[i], extraEnv[i + 1]);
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("ingestion finished")
                .isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void writeDocuments(Path docs) throws Exception {
        Files.createDirectories(docs);
        TestPdfs.unmappedGlyphs(
                docs.resolve("R-FAQ.pdf"),
                List.of(
                        "The pump is primed before the first start.",
                        "The filter is cleaned every week.",
                        "Only this page has no pictograms."),
                12);
        TestPdfs.write(docs.resolve("clean.pdf"), "Clean", List.of("Every character of this page maps to text."));
    }

    @Test
    void should_print_only_jerrys_lines_and_count_unmapped_characters_per_file(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given
        writeDocuments(dir.resolve("docs"));

        // when
        String output = ingest(chroma, dir, "quiet");

        // then
        assertThat(output)
                .contains("2 seen, 2 new")
                .contains("R-FAQ.pdf: 36 characters without a Unicode mapping on 3 pages; "
                        + "the text of those pages may be incomplete")
                .doesNotContainPattern("clean\\.pdf: \\d+ character")
                .doesNotContainPattern(LIBRARY_LOG_LINE)
                .doesNotContain("PDSimpleFont", "No Unicode mapping", "CudaUtils", "GPU", "maxLength");
    }

    @Test
    void should_show_library_warnings_when_jerrys_log_level_is_debug(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given
        writeDocuments(dir.resolve("docs"));

        // when
        String output = ingest(chroma, dir, "verbose", "JERRY_LOG_LEVEL", "DEBUG");

        // then
        assertThat(output).containsPattern(LIBRARY_LOG_LINE).contains("No Unicode mapping");
    }
}
