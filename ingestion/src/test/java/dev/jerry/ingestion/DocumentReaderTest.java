package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentReaderTest {
    @Test
    void should_refuse_a_text_file_over_the_limit_with_its_size_and_the_limit(@TempDir Path dir) throws Exception {
        // given: a sparse file just over the limit
        Path big = dir.resolve("dump.txt");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(DocumentReader.MAX_TEXT_BYTES + 1024 * 1024);
        }

        // when / then
        assertThatThrownBy(() -> new DocumentReader().open(big))
                .isInstanceOf(DocumentReader.Unreadable.class)
                .hasMessage("a text file of 17.0 MB; the limit is 16 MB (split it into smaller files)");
    }
}
