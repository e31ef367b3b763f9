package dev.jerry.knowledge.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a page's text where sections start, so that no chunk crosses a section. A heading is found in the text by its
 * letters and digits alone (case, spaces, punctuation and numbering ignored: an outline says "Seeking-assistance"
 * where the page prints "Seeking assistance"); a heading that cannot be found starts where the previous one did.
 */
public final class Sections {
    private Sections() {}

    /** A section heading: its path from the top of the document, e.g. {@code ["Commands", "Set", "Xrange"]}. */
    public record Heading(List<String> path) {
        public Heading {
            path = List.copyOf(path);
        }

        public String title() {
            return path.getLast();
        }

        public String joined() {
            return String.join(" > ", path);
        }
    }

    /** A run of a page's text and the section it belongs to (null before the document's first heading). */
    public record Piece(Heading section, String text) {}

    /**
     * @param current the section in effect where the page starts
     * @param starting the headings that start on this page, in document order
     */
    static List<Piece> cut(String text, Heading current, List<Heading> starting) {
        List<Piece> pieces = new ArrayList<>();
        int from = 0;
        Heading section = current;
        for (Heading heading : starting) {
            int at = find(text, heading.title(), from);
            if (at < 0) {
                at = from;
            }
            if (at > from && !text.substring(from, at).isBlank()) {
                pieces.add(new Piece(section, text.substring(from, at)));
            }
            from = at;
            section = heading;
        }
        if (from < text.length() && !text.substring(from).isBlank()) {
            pieces.add(new Piece(section, text.substring(from)));
        }
        return pieces;
    }

    /** Where {@code title} starts in {@code text} at or after {@code from}, comparing letters and digits only. */
    static int find(String text, String title, int from) {
        String wanted = letters(title);
        if (wanted.isEmpty()) {
            return -1;
        }
        StringBuilder normalized = new StringBuilder();
        List<Integer> positions = new ArrayList<>();
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                normalized.append(Character.toLowerCase(c));
                positions.add(i);
            }
        }
        int at = normalized.indexOf(wanted);
        if (at < 0) {
            return -1;
        }
        // back up to the start of the line, so a number before the title ("2.1 What is R?") stays with it
        int start = positions.get(at);
        int line = text.lastIndexOf('\n', start - 1) + 1;
        return Math.max(from, line);
    }

    private static String letters(String title) {
        StringBuilder out = new StringBuilder();
        for (char c : title.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Markdown headings ({@code #} to {@code ######} at the start of a line) as sections of one page. */
    static List<Piece> markdown(String text) {
        List<Piece> pieces = new ArrayList<>();
        List<String> path = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        Heading section = null;
        StringBuilder body = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            }
            int level = fenced ? 0 : level(line);
            if (level > 0) {
                if (!body.toString().isBlank()) {
                    pieces.add(new Piece(section, body.toString()));
                }
                body = new StringBuilder();
                while (!levels.isEmpty() && levels.getLast() >= level) {
                    levels.removeLast();
                    path.removeLast();
                }
                levels.add(level);
                path.add(line.substring(level).strip());
                section = new Heading(path);
            }
            body.append(line).append('\n');
        }
        if (!body.toString().isBlank()) {
            pieces.add(new Piece(section, body.toString()));
        }
        return pieces;
    }

    private static int level(String line) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
            level++;
        }
        return level >= 1 && level <= 6 && line.length() > level && line.charAt(level) == ' ' ? level : 0;
    }
}
