package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Normalization alone: what it removes, and what it must keep. None of these questions is in the labelled set. */
class NormalizerTest {
    private final Normalizer normalizer = new Normalizer(Vocabulary.load());

    @Test
    void should_ignore_case_punctuation_and_whitespace() {
        // given
        String shouted = "WHAT TIME DOES THE LIBRARY OPEN?!";
        String spaced = "  what time   does the library open ";

        // when / then
        assertThat(normalizer.normalize(shouted))
                .isEqualTo(normalizer.normalize(spaced))
                .isEqualTo("what time does the library open");
    }

    @Test
    void should_drop_greetings_addressing_mentions_fillers_and_sign_offs() {
        // given
        String plain = "Where is the nearest pharmacy?";

        // when / then
        assertThat(normalizer.normalize("hey jerry, where is the nearest pharmacy?"))
                .isEqualTo(normalizer.normalize("@Jerry where is the nearest pharmacy"))
                .isEqualTo(normalizer.normalize("<@1234567890> where is the nearest pharmacy pls"))
                .isEqualTo(normalizer.normalize("Hi! Where is the nearest pharmacy lol, thanks Jerry"))
                .isEqualTo(normalizer.normalize(plain));
    }

    @Test
    void should_expand_contractions_and_place_a_split_negation_the_same_way() {
        // when / then
        assertThat(normalizer.normalize("What's the weather like in Oslo?"))
                .isEqualTo(normalizer.normalize("what is the weather like in Oslo"));
        assertThat(normalizer.normalize("Why doesn't the printer work?"))
                .isEqualTo(normalizer.normalize("Why does the printer not work?"))
                .isEqualTo("why does not the printer work");
        assertThat(normalizer.normalize("Why can't I log in?")).isEqualTo(normalizer.normalize("why can I not log in"));
    }

    @Test
    void should_keep_what_carries_meaning() {
        // when / then
        assertThat(normalizer.normalize("What does ls -la show?")).isEqualTo("what does ls -la show");
        assertThat(normalizer.normalize("Is C++ faster than C#?")).isEqualTo("is c++ faster than c#");
        assertThat(normalizer.normalize("Is version 3.5 newer than 3.10?")).isEqualTo("is version 3.5 newer than 3.10");
        assertThat(normalizer.normalize("Is the door open?"))
                .isNotEqualTo(normalizer.normalize("Is the door not open?"));
        assertThat(normalizer.normalize("How do I say hello in Greek, thanks?"))
                .isEqualTo("how do i say hello in greek");
        assertThat(normalizer.normalize("What does lol mean?"))
                .isNotEqualTo(normalizer.normalize("What does btw mean?"));
        assertThat(normalizer.normalize("How do I source ~/.bashrc?")).isEqualTo("how do i source ~/.bashrc");
        assertThat(normalizer.key("What does ls -a show?")).isNotEqualTo(normalizer.key("What does ls -A show?"));
        assertThat(normalizer.key("How do I join lines with \",\"?"))
                .isNotEqualTo(normalizer.key("How do I join lines with \";\"?"));
    }
}
