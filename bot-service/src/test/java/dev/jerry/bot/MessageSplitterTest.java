package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {

    private static long fences(String part) {
        return part.lines().filter(l -> l.strip().startsWith("```")).count();
    }

    @Test
    void should_keep_a_short_answer_whole() {
        assertThat(MessageSplitter.split("  Short answer.\n")).containsExactly("Short answer.");
        assertThat(MessageSplitter.split("")).isEmpty();
    }

    @Test
    void should_cut_at_a_paragraph_break_before_a_sentence_or_a_word() {
        String first = "First paragraph. " + "word ".repeat(60);
        String second = "Second paragraph. " + "more ".repeat(60);

        List<String> parts = MessageSplitter.split(first + "\n\n" + second, 400);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).isEqualTo(first.strip());
        assertThat(parts.get(1)).isEqualTo(second.strip());
    }

    @Test
    void should_cut_at_a_sentence_end_when_there_is_no_line_break() {
        String text = "This is a sentence that goes on for a while. ".repeat(20);

        List<String> parts = MessageSplitter.split(text, 300);

        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(300));
        assertThat(parts.subList(0, parts.size() - 1))
                .allSatisfy(p -> assertThat(p).endsWith("."));
        assertThat(String.join(" ", parts)).isEqualTo(text.strip());
    }

    @Test
    void should_move_a_code_block_that_fits_to_the_next_message_instead_of_cutting_it() {
        String intro = "Here is the code:";
        String code = "```python\n" + "print('hello world')\n".repeat(18) + "```";
        String text = intro + "\n" + code;

        List<String> parts = MessageSplitter.split(text, 400);

        assertThat(parts).containsExactly(intro, code);
    }

    @Test
    void should_close_and_reopen_a_code_block_longer_than_a_message_with_its_language() {
        StringBuilder code = new StringBuilder("```java\n");
        for (int i = 0; i < 40; i++) {
            code.append("int v").append(i).append(" = ").append(i).append(";\n");
        }
        code.append("```");

        List<String> parts = MessageSplitter.split("Code:\n\n" + code + "\n\nDone.", 200);

        assertThat(parts).hasSizeGreaterThan(3);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(200);
            assertThat(fences(p)).as(p).isEven();
        });
        assertThat(parts.stream().filter(p -> p.contains("int v")))
                .allSatisfy(p -> assertThat(p).startsWith("```java\n").containsPattern("(?m)^```$"));
        String joined = String.join("\n", parts);
        for (int i = 0; i < 40; i++) {
            assertThat(joined).contains("int v" + i + " = " + i + ";");
        }
        assertThat(parts.getLast()).endsWith("Done.");
    }

    @Test
    void should_cut_a_word_longer_than_a_message() {
        List<String> parts = MessageSplitter.split("x".repeat(250), 100);

        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(100));
        assertThat(String.join("", parts)).isEqualTo("x".repeat(250));
    }
}
