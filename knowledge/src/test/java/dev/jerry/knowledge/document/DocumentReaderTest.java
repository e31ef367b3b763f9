package dev.jerry.knowledge.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
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

    @Test
    void should_drop_nul_characters_from_page_text_because_model_service_refuses_them(@TempDir Path dir)
            throws Exception {
        // given: a text file holding the byte 0 between two words
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "valve\u0000 pressure");

        // when
        String text;
        try (var document = new DocumentReader().open(notes)) {
            text = document.page(1).text();
        }

        // then
        assertThat(text).doesNotContain("\u0000").contains("valve pressure");
    }
}
