package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meaning guard alone: what it must reject, and that it lets true paraphrases through. */
class SemanticCacheTest {

    @Test
    void should_reject_negations_numbers_quotes_entities_and_opposite_verbs() {
        assertThat(MeaningGuard.difference("How do I enable 2FA?", "How do I disable 2FA?"))
                .contains("antonym");
        assertThat(MeaningGuard.difference("How do I enable 2FA?", "How do I turn off 2FA?"))
                .contains("antonym");
        assertThat(MeaningGuard.difference("Is the server running?", "Isn't the server running?"))
                .contains("negation");
        assertThat(MeaningGuard.difference("Set a timer for 5 minutes", "Set a timer for 15 minutes"))
                .contains("number");
        assertThat(MeaningGuard.difference("Schedule it for 3 pm", "Schedule it for 3 am"))
                .contains("number");
        assertThat(MeaningGuard.difference("What does \"disk full\" mean?", "What does \"disk missing\" mean?"))
                .contains("quoted text");
        assertThat(MeaningGuard.difference("What is the capital of France?", "What is the capital of Germany?"))
                .contains("entity");
    }

    @Test
    void should_let_paraphrases_through() {
        assertThat(MeaningGuard.difference("How do I enable 2FA?", "How can I turn on 2FA?"))
                .isEmpty();
        assertThat(MeaningGuard.difference("How do I reset my password?", "What is the way to reset my password?"))
                .isEmpty();
        assertThat(MeaningGuard.difference("How many days are in a leap year?", "How many days does a leap year have?"))
                .isEmpty();
        assertThat(MeaningGuard.difference("Can I bring my dog?", "Am I allowed to bring my dog?"))
                .isEmpty();
        assertThat(MeaningGuard.difference("What is the capital of France?", "What's France's capital city?"))
                .isEmpty();
    }

    @Test
    void should_reject_every_labelled_near_miss_by_meaning_alone_where_the_words_tell() throws Exception {
        // the labelled set is shared with the benchmark; the guard alone must stop the near-misses of these kinds
        List<String[]> pairs = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                SemanticCacheTest.class.getResourceAsStream("/cache-pairs.tsv"), StandardCharsets.UTF_8))) {
            in.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> pairs.add(l.split("\\t")));
        }
        List<String> slipped = new ArrayList<>();
        for (String[] pair : pairs) {
            boolean rejected = MeaningGuard.difference(pair[0], pair[1]).isPresent();
            if (pair[2].equals("miss") && !rejected) {
                slipped.add(pair[3] + ": " + pair[0] + " -> " + pair[1]);
            }
        }
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(200);
        assertThat(slipped).isEmpty();
    }
}
