package dev.jerry.knowledge.document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Headings of a PDF that has no outline, found by how they are printed: a short line set larger than the body text,
 * or a short line set wholly in bold at body size. The body size is the size most characters of the document have;
 * larger sizes are higher levels (bold or not), and bold at body size is the lowest. Lines that repeat on many pages (running heads
 * and feet) are not headings.
 */
final class Headings {
    /** A heading is set at least this much larger than the body text, or in bold. */
    private static final double LARGER = 1.15;

    private static final int MAX_CHARS = 100;
    private static final int MAX_WORDS = 14;
    private static final int MAX_LEVELS = 4;
    /** Pages read at most for headings; the rest of a longer document keeps the last section found. */
    static final int MAX_PAGES = 3000;

    private Headings() {}

    /** A printed line: its page, text, font size (points, rounded to a half) and whether every glyph is bold. */
    record Line(int page, String text, double size, boolean bold) {}

    /** The headings starting on each page, in reading order, with their paths; empty when nothing stands out. */
    static Map<Integer, List<Sections.Heading>> detect(PDDocument pdf) throws IOException {
        LineCollector collector = new LineCollector();
        collector.setSortByPosition(true);
        collector.setStartPage(1);
        collector.setEndPage(Math.min(pdf.getNumberOfPages(), MAX_PAGES));
        collector.getText(pdf);
        return headings(collector.lines, collector.characters, pdf.getNumberOfPages());
    }

    /** Picks the headings among the lines, given how many characters each font size printed. */
    static Map<Integer, List<Sections.Heading>> headings(List<Line> lines, Map<Double, Integer> characters, int pages) {
        Map<Integer, List<Sections.Heading>> headings = new HashMap<>();
        if (lines.isEmpty() || characters.isEmpty()) {
            return headings;
        }
        double body = characters.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        Set<String> running = running(lines, pages);
        List<Line> candidates = new ArrayList<>();
        List<Integer> at = new ArrayList<>(); // where each candidate is among the lines
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (isHeading(line, body) && !running.contains(letters(line.text()))) {
                candidates.add(line);
                at.add(i);
            }
        }
        // levels by size, larger first; bold at body size comes last
        List<String> styles = candidates.stream()
                .map(line -> style(line, body))
                .distinct()
                .sorted(Comparator.comparingDouble(Headings::styleSize)
                        .reversed()
                        .thenComparing(s -> s.endsWith("b") ? 0 : 1))
                .toList();
        List<String> path = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        Line previous = null;
        for (int c = 0; c < candidates.size(); c++) {
            Line line = candidates.get(c);
            int level = Math.min(styles.indexOf(style(line, body)), MAX_LEVELS - 1);
            if (previous != null
                    && previous.page() == line.page()
                    && style(previous, body).equals(style(line, body))
                    && at.get(c) == at.get(c - 1) + 1) {
                // a heading set on two lines: one title
                String title = path.removeLast() + " " + line.text();
                path.add(title);
                List<Sections.Heading> onPage = headings.get(line.page());
                onPage.set(onPage.size() - 1, new Sections.Heading(path));
                previous = line;
                continue;
            }
            while (!levels.isEmpty() && levels.getLast() >= level) {
                levels.removeLast();
                path.removeLast();
            }
            levels.add(level);
            path.add(line.text());
            headings.computeIfAbsent(line.page(), p -> new ArrayList<>()).add(new Sections.Heading(path));
            previous = line;
        }
        return headings;
    }

    private static boolean isHeading(Line line, double body) {
        String text = line.text();
        if (text.length() < 2 || text.length() > MAX_CHARS || text.split("\\s+").length > MAX_WORDS) {
            return false;
        }
        if (!text.chars().anyMatch(Character::isLetter) || text.endsWith(".") || text.endsWith(",")) {
            return false;
        }
        return line.size() >= body * LARGER || (line.bold() && line.size() >= body * 0.95);
    }

    /** Texts (letters only) printed on at least three pages and a fifth of them: running heads and feet. */
    private static Set<String> running(List<Line> lines, int pages) {
        Map<String, Set<Integer>> seen = new HashMap<>();
        for (Line line : lines) {
            seen.computeIfAbsent(letters(line.text()), t -> new HashSet<>()).add(line.page());
        }
        Set<String> running = new HashSet<>();
        seen.forEach((text, on) -> {
            if (on.size() >= 3 && on.size() * 5 >= Math.min(pages, MAX_PAGES)) {
                running.add(text);
            }
        });
        return running;
    }

    /** What sets a level: the size of a larger line, or bold at body size. */
    private static String style(Line line, double body) {
        return line.size() + (line.size() < body * LARGER ? "b" : "");
    }

    private static double styleSize(String style) {
        return Double.parseDouble(style.endsWith("b") ? style.substring(0, style.length() - 1) : style);
    }

    private static String letters(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetter(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** PDFBox's text stripper, keeping each line's text and how it is set instead of the text. */
    private static final class LineCollector extends PDFTextStripper {
        private final List<Line> lines = new ArrayList<>();
        private final Map<Double, Integer> characters = new TreeMap<>();
        private final StringBuilder text = new StringBuilder();
        private final List<TextPosition> positions = new ArrayList<>();

        @Override
        protected void writeString(String string, List<TextPosition> textPositions) {
            text.append(string);
            positions.addAll(textPositions);
        }

        @Override
        protected void writeWordSeparator() {
            text.append(' ');
        }

        @Override
        protected void writeLineSeparator() {
            endLine();
        }

        @Override
        protected void writePageEnd() {
            endLine();
        }

        private void endLine() {
            String line = text.toString().strip().replaceAll("\\s+", " ");
            if (!line.isEmpty() && !positions.isEmpty()) {
                double sum = 0;
                boolean bold = true;
                int glyphs = 0;
                for (TextPosition p : positions) {
                    if (p.getUnicode() == null || p.getUnicode().isBlank()) {
                        continue;
                    }
                    sum += p.getFontSizeInPt();
                    bold &= bold(p.getFont());
                    glyphs++;
                }
                if (glyphs > 0) {
                    double size = Math.round(sum / glyphs * 2) / 2.0;
                    characters.merge(size, glyphs, Integer::sum);
                    lines.add(new Line(getCurrentPageNo(), line, size, bold));
                }
            }
            text.setLength(0);
            positions.clear();
        }

        private static boolean bold(PDFont font) {
            if (font == null) {
                return false;
            }
            PDFontDescriptor descriptor = font.getFontDescriptor();
            if (descriptor != null && (descriptor.isForceBold() || descriptor.getFontWeight() >= 700)) {
                return true;
            }
            String name = font.getName() == null ? "" : font.getName().toLowerCase(Locale.ROOT);
            return name.contains("bold") || name.contains("black") || name.contains("heavy");
        }
    }
}
