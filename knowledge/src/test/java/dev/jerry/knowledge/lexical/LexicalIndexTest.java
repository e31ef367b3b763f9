package dev.jerry.knowledge.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class LexicalIndexTest {
    private static List<String> tokens(String text) throws Exception {
        List<String> tokens = new ArrayList<>();
        try (var analyzer = new CodeAnalyzer();
                var stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        }
        return tokens;
    }

    @Test
    void should_keep_code_tokens_whole_beside_their_word_parts() throws Exception {
        assertThat(tokens("Run apt-get with --prune (see <<- and set xrange)."))
                .contains("apt-get", "apt", "get", "--prune", "prune", "<<-", "set", "xrange");
        assertThat(tokens("call glp_add_cols() twice")).contains("glp_add_cols", "glp_add_col", "glp", "add", "col");
        assertThat(tokens("plotting the Plots")).contains("plot", "plotting");
    }

    @Test
    void should_rank_the_chunk_with_the_exact_option_first() {
        // given
        LexicalIndex index = LexicalIndex.build(
                "v1",
                List.of(
                        new LexicalIndex.Entry(
                                "a", "Removes documents that are gone when asked to.", "a.md", List.of()),
                        new LexicalIndex.Entry(
                                "b", "With --prune the job deletes what it did not see.", "b.md", List.of()),
                        new LexicalIndex.Entry(
                                "c", "Pruning the roses in spring keeps them healthy.", "c.md", List.of("garden"))));

        // when
        List<LexicalIndex.Hit> hits = index.search("what does --prune do", 3, null, List.of());

        // then
        assertThat(hits).isNotEmpty();
        assertThat(hits.getFirst().id()).isEqualTo("b");
        assertThat(index.search("pruning", 3, null, List.of("garden")))
                .extracting(LexicalIndex.Hit::id)
                .containsExactly("c");
        assertThat(index.search("prune", 3, "a.md", List.of())).isEmpty();
        assertThat(index.search("the of and", 3, null, List.of())).isEmpty();
        assertThat(index.ids()).containsExactlyInAnyOrder("a", "b", "c");
    }
}
