package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.CachePairs;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The meaning check alone, one pair per rejection reason and a few paraphrases it must let through; every pair here
 * is new (a test below proves none is in the labelled dev or test set).
 */
class MeaningCheckTest {
    private static MeaningCheck check;

    record Case(String cached, String asked, Difference expected) {
        @Override
        public String toString() {
            return cached + " -> " + asked;
        }
    }

    /** One pair a line: {@code DIFFERENCE | cached | asked}, {@code -} for a paraphrase that must pass. */
    private static List<Case> cases(String table) {
        return table.lines()
                .map(line -> line.split("\\|"))
                .map(cells -> new Case(
                        cells[1].strip(),
                        cells[2].strip(),
                        cells[0].isBlank() || cells[0].strip().equals("-")
                                ? null
                                : Difference.valueOf(cells[0].strip())))
                .toList();
    }

    static final List<Case> CASES = cases("""
            NEGATION  | Does the backup include the logs?              | Does the backup not include the logs?
            NUMBER    | Can I invite 4 guests to the party?            | Can I invite 40 guests to the party?
            NUMBER    | How do I split the bill between two people?    | How do I split the bill between three people?
            QUOTED    | What does the sign "wet paint" mean?           | What does the sign "keep out" mean?
            CODE      | How do I read config.yaml at start-up?         | How do I read config.json at start-up?
            CODE      | What does tar -x do?                           | What does tar -c do?
            CODE      | What does ls -a show?                          | What does ls -A show?
            NUMBER    | What is 10 - 4?                                | What is 4 - 10?
            ENTITY    | What is the national dish of Peru?             | What is the national dish of Chile?
            DIRECTION | How do I forward emails from Outlook to Gmail? | How do I forward emails from Gmail to Outlook?
            DIRECTION | Can a rabbit outrun a fox?                     | Can a fox outrun a rabbit?
            ANTONYM   | Is the water in the lake deep?                 | Is the water in the lake shallow?
            ANTONYM   | How do I pack a suitcase?                      | How do I unpack a suitcase?
            TIME      | Should I drink coffee before an exam?          | Should I drink coffee after an exam?
            TIME      | What did the council decide yesterday?         | What did the council decide today?
            SCOPE     | How do I back up every photo on my phone?      | How do I back up the photos on my phone?
            SCOPE     | How do I clean the windows?                    | How do I clean the front windows?
            WORD      | How do I paint a fence?                        | How do I repair a fence?
            WORD      | What does lol mean?                            | What does btw mean?
            SCOPE     | Do you know Haskell?                           | What is Haskell?
            """);

    static final List<Case> PARAPHRASES = cases("""
            - | How do I begin learning Spanish?             | How do I start learning Spanish?
            - | In Excel, how do I freeze the top row?       | How do I freeze the top row in Excel?
            - | Could you tell me how to tie a tie?          | How do I tie a tie?
            - | Can you tell me where the ferry terminal is? | Where is the ferry terminal?
            - | Why did the bridge collapse?                 | Why did the bridges collapse?
            - | How can I stop the kettle whistling?         | How do I stop the kettle whistling?
            """);

    @BeforeAll
    static void load() {
        check = new MeaningCheck(Vocabulary.load(), new Lexicon());
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void should_name_the_difference_of_each_near_miss(Case c) {
        // when
        Optional<Difference> difference = check.difference(c.cached(), c.asked());

        // then
        assertThat(difference).as(c.toString()).contains(c.expected());
    }

    @ParameterizedTest
    @FieldSource("PARAPHRASES")
    void should_let_inflections_synonyms_reordering_and_polite_forms_through(Case c) {
        // when
        Optional<Difference> difference = check.difference(c.cached(), c.asked());

        // then
        assertThat(difference).as(c.toString()).isEmpty();
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
