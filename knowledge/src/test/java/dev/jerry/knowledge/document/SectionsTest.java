package dev.jerry.knowledge.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SectionsTest {
    @Test
    void should_cut_a_page_where_its_sections_start_matching_headings_loosely() {
        // given
        var intro = new Sections.Heading(List.of("Basics"));
        var what = new Sections.Heading(List.of("Basics", "What-is-it?"));
        var where = new Sections.Heading(List.of("Basics", "Where does it run"));
        String page = "end of the introduction.\n2.1 What is it?\nA tool.\n2.2 Where does it run?\nEverywhere.\n";

        // when
        List<Sections.Piece> pieces = Sections.cut(page, intro, List.of(what, where));

        // then
        assertThat(pieces)
                .extracting(p -> p.section().joined())
                .containsExactly("Basics", "Basics > What-is-it?", "Basics > Where does it run");
        assertThat(pieces.get(1).text()).isEqualTo("2.1 What is it?\nA tool.\n");
        assertThat(pieces.get(2).text()).startsWith("2.2 Where does it run?");
    }

    @Test
    void should_start_an_unfound_heading_where_the_previous_one_did() {
        var missing = new Sections.Heading(List.of("Nowhere on the page"));

        List<Sections.Piece> pieces = Sections.cut("Some text.", null, List.of(missing));

        assertThat(pieces)
                .singleElement()
                .satisfies(p -> assertThat(p.section()).isEqualTo(missing));
    }

    @Test
    void should_follow_markdown_headings_as_a_path_ignoring_code_fences() {
        String md = "# Guide\nintro\n## Install\nsteps\n```\n# not a heading\n```\n## Run\ngo\n# Appendix\nmore\n";

        List<Sections.Piece> pieces = Sections.markdown(md);

        assertThat(pieces)
                .extracting(p -> p.section().joined())
                .containsExactly("Guide", "Guide > Install", "Guide > Run", "Appendix");
        assertThat(pieces.get(1).text()).contains("# not a heading");
    }
}
