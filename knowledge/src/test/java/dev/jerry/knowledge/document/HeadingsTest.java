package dev.jerry.knowledge.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadingsTest {
    private static final PDType1Font BODY = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    /** A line to print: font, size, text. */
    private record Printed(PDType1Font font, float size, String text) {}

    private static Printed body(String text) {
        return new Printed(BODY, 11, text);
    }

    /** A PDF without an outline: each page starts with the running head "Pump Manual" (bold, body size). */
    private static Path manual(Path file, List<List<Printed>> pages) throws IOException {
        try (PDDocument pdf = new PDDocument()) {
            for (List<Printed> lines : pages) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    float y = 740;
                    List<Printed> all = new ArrayList<>();
                    all.add(new Printed(BOLD, 11, "Pump Manual"));
                    all.addAll(lines);
                    for (Printed line : all) {
                        y -= line.size() * 1.8f;
                        content.beginText();
                        content.setFont(line.font(), line.size());
                        content.newLineAtOffset(72, y);
                        content.showText(line.text());
                        content.endText();
                    }
                }
            }
            pdf.save(file.toFile());
        }
        return file;
    }

    private static List<String> sections(List<Sections.Piece> pieces) {
        return pieces.stream()
                .map(p -> p.section() == null ? "-" : p.section().joined())
                .toList();
    }

    @Test
    void should_cut_a_pdf_without_outline_at_its_printed_headings_with_their_levels(@TempDir Path dir)
            throws Exception {
        // given: a chapter heading (18 pt), a section heading (13 pt bold), body text at 11 pt, a running head
        String filler = "The housing is made of cast iron and weighs about forty kilograms in total";
        Path pdf = manual(
                dir.resolve("pumps.pdf"),
                List.of(
                        List.of(
                                new Printed(BOLD, 18, "Installing the pump"),
                                body(filler + " and sits on a concrete base."),
                                body(filler + " when it is filled with oil."),
                                new Printed(BOLD, 13, "Checking the seals"),
                                body("Look at the seals every week and replace any that are cracked.")),
                        List.of(
                                body("A cracked seal lets oil escape slowly over several days."),
                                new Printed(BODY, 18, "Maintenance"),
                                body("Change the oil every five hundred hours of operation.")),
                        List.of(body("Keep a log of every oil change with the date and the hours."))));

        // when
        List<List<String>> sections = new ArrayList<>();
        try (DocumentReader.Document document = new DocumentReader().open(pdf)) {
            Sections.Heading current = null;
            for (int number = 1; number <= document.pages(); number++) {
                sections.add(sections(document.pieces(document.page(number), current)));
                current = document.after(number, current);
            }
        }

        // then: the running head is no heading, the smaller bold heading sits under the larger one
        assertThat(sections)
                .containsExactly(
                        List.of("-", "Installing the pump", "Installing the pump > Checking the seals"),
                        List.of("Installing the pump > Checking the seals", "Maintenance"),
                        List.of("Maintenance"));
    }

    @Test
    void should_find_no_headings_when_every_line_is_printed_alike() {
        // given
        List<Headings.Line> lines = List.of(
                new Headings.Line(1, "Short line", 11, false),
                new Headings.Line(1, "Another plain line of body text", 11, false));

        // when / then
        assertThat(Headings.headings(lines, java.util.Map.of(11.0, 40), 1)).isEmpty();
    }
}
