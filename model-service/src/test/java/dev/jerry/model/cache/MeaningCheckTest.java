package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.CachePairs;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The meaning check alone, one pair per rejection reason and a few paraphrases it must let through; every pair here
 * is new (a test below proves none is in the labelled dev or test set).
 */
class MeaningCheckTest {
    private static MeaningCheck check;

    record Case(String cached, String asked, Difference expected) {}

    static final List<Case> CASES = List.of(
            new Case("Does the backup include the logs?", "Does the backup not include the logs?", Difference.NEGATION),
            new Case("Can I invite 4 guests to the party?", "Can I invite 40 guests to the party?", Difference.NUMBER),
            new Case(
                    "How do I split the bill between two people?",
                    "How do I split the bill between three people?",
                    Difference.NUMBER),
            new Case(
                    "What does the sign \"wet paint\" mean?",
                    "What does the sign \"keep out\" mean?",
                    Difference.QUOTED),
            new Case(
                    "How do I read config.yaml at start-up?",
                    "How do I read config.json at start-up?",
                    Difference.CODE),
            new Case("What does tar -x do?", "What does tar -c do?", Difference.CODE),
            new Case("What does ls -a show?", "What does ls -A show?", Difference.CODE),
            new Case("What is 10 - 4?", "What is 4 - 10?", Difference.NUMBER),
            new Case("What is the national dish of Peru?", "What is the national dish of Chile?", Difference.ENTITY),
            new Case(
                    "How do I forward emails from Outlook to Gmail?",
                    "How do I forward emails from Gmail to Outlook?",
                    Difference.DIRECTION),
            new Case("Can a rabbit outrun a fox?", "Can a fox outrun a rabbit?", Difference.DIRECTION),
            new Case("Is the water in the lake deep?", "Is the water in the lake shallow?", Difference.ANTONYM),
            new Case("How do I pack a suitcase?", "How do I unpack a suitcase?", Difference.ANTONYM),
            new Case("Should I drink coffee before an exam?", "Should I drink coffee after an exam?", Difference.TIME),
            new Case("What did the council decide yesterday?", "What did the council decide today?", Difference.TIME),
            new Case(
                    "How do I back up every photo on my phone?",
                    "How do I back up the photos on my phone?",
                    Difference.SCOPE),
            new Case("How do I clean the windows?", "How do I clean the front windows?", Difference.SCOPE),
            new Case("How do I paint a fence?", "How do I repair a fence?", Difference.WORD),
            new Case("What does lol mean?", "What does btw mean?", Difference.WORD),
            new Case("Do you know Haskell?", "What is Haskell?", Difference.SCOPE));

    static final List<Case> PARAPHRASES = List.of(
            new Case("How do I begin learning Spanish?", "How do I start learning Spanish?", null),
            new Case("In Excel, how do I freeze the top row?", "How do I freeze the top row in Excel?", null),
            new Case("Could you tell me how to tie a tie?", "How do I tie a tie?", null),
            new Case("Can you tell me where the ferry terminal is?", "Where is the ferry terminal?", null),
            new Case("Why did the bridge collapse?", "Why did the bridges collapse?", null),
            new Case("How can I stop the kettle whistling?", "How do I stop the kettle whistling?", null));

    @BeforeAll
    static void load() {
        check = new MeaningCheck(Vocabulary.load(), new Lexicon());
    }

    @Test
    void should_name_the_difference_of_each_near_miss() {
        for (Case c : CASES) {
            // when
            Optional<Difference> difference = check.difference(c.cached(), c.asked());

            // then
            assertThat(difference).as(c.cached() + " -> " + c.asked()).contains(c.expected());
        }
    }

    @Test
    void should_let_inflections_synonyms_reordering_and_polite_forms_through() {
        for (Case c : PARAPHRASES) {
            // when
            Optional<Difference> difference = check.difference(c.cached(), c.asked());

            // then
            assertThat(difference).as(c.cached() + " -> " + c.asked()).isEmpty();
        }
    }

    @Test
    void should_find_no_difference_between_a_question_and_itself_with_case_and_greeting_changes() {
        // when / then
        assertThat(check.difference(
                        "What is the tallest mountain in Japan?", "hey jerry WHAT IS THE TALLEST MOUNTAIN IN JAPAN"))
                .isEmpty();
    }

    @Test
    void should_allow_one_moved_stretch_of_words_but_not_two_swapped_words_with_others_between() {
        // given
        int[] rotated = new int[2_000];
        for (int i = 0; i < rotated.length; i++) {
            rotated[i] = (i + 700) % rotated.length; // the first 1300 words moved behind the last 700
        }

        // when / then
        assertThat(MeaningCheck.oneBlockMoved(new int[] {0, 1, 2})).isTrue();
        assertThat(MeaningCheck.oneBlockMoved(new int[] {1, 0})).isTrue();
        assertThat(MeaningCheck.oneBlockMoved(new int[] {2, 3, 0, 1})).isTrue();
        assertThat(MeaningCheck.oneBlockMoved(new int[] {0, 3, 2, 1})).isFalse();
        assertThat(MeaningCheck.oneBlockMoved(new int[] {2, 1, 0})).isFalse();
        assertThat(MeaningCheck.oneBlockMoved(rotated)).isTrue();
    }

    @Test
    void should_use_only_pairs_that_are_not_in_the_labelled_set() {
        // given
        List<String> labelled = Stream.of(CachePairs.Split.values())
                .flatMap(split -> CachePairs.load(split).stream())
                .flatMap(p -> Stream.of(p.cached(), p.asked()))
                .toList();

        // when
        List<String> here = Stream.concat(CASES.stream(), PARAPHRASES.stream())
                .flatMap(c -> Stream.of(c.cached(), c.asked()))
                .toList();

        // then
        assertThat(labelled).hasSizeGreaterThanOrEqualTo(1600);
        assertThat(here).doesNotContainAnyElementsOf(labelled);
    }
}
