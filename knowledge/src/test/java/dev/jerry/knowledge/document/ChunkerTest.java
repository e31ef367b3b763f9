package dev.jerry.knowledge.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static final HuggingFaceTokenCountEstimator TOKENS = new HuggingFaceTokenCountEstimator();

    @Test
    void should_cut_a_run_of_text_without_spaces_into_bounded_chunks() {
        // given: 300,000 characters of base64-like text with no space at all
        Chunker chunker = new Chunker(TOKENS, 200, 40);
        Random random = new Random(7);
        StringBuilder run = new StringBuilder();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 300_000; i++) {
            run.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }

        // when
        List<String> chunks = chunker.chunks("Header line. " + run + " Trailer.");

        // then: every chunk within the hard limit, and nothing of the run lost
        assertThat(chunks).hasSizeGreaterThan(100);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(chunker.maxChars()));
        assertThat(String.join("", chunks).replace(" ", "")).contains(run.substring(0, 5000));
        assertThat(chunks)
                .allSatisfy(c -> assertThat(TOKENS.estimateTokenCountInText(c)).isLessThanOrEqualTo(200 + 2));
    }

    @Test
    void should_keep_ordinary_prose_in_sentence_chunks_with_overlap() {
        // given
        Chunker chunker = new Chunker(TOKENS, 32, 8);
        String text = "The pump starts at dawn. ".repeat(30);

        // when
        List<String> chunks = chunker.chunks(text);

        // then
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c).startsWith("The pump").endsWith("dawn."));
    }

    @Test
    void should_change_its_version_when_its_sizes_change() {
        assertThat(new Chunker(TOKENS, 200, 40).version())
                .isNotEqualTo(new Chunker(TOKENS, 300, 40).version())
                .startsWith(Chunker.GENERATION + "/");
    }
}
