package dev.jerry.bot;

import dev.jerry.kit.api.AgentChatResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An answer's sources as short footnotes: {@code [1] manual.pdf, p. 2} or a link (in angle brackets: no embed). */
public final class Footnotes {
    private static final int MAX_LABEL = 120;

    private Footnotes() {}

    /** The footnote block to append to an answer, starting with a blank line; empty without sources. */
    public static String format(List<AgentChatResponse.Source> sources) {
        if (sources == null || sources.isEmpty()) {
            return "";
        }
        Set<String> lines = new LinkedHashSet<>();
        for (AgentChatResponse.Source source : sources) {
            String label = label(source);
            if (!label.isBlank()) {
                lines.add(label);
            }
        }
        StringBuilder out = new StringBuilder("\n");
        int n = 1;
        for (String line : lines) {
            out.append("\n-# [").append(n++).append("] ").append(line);
        }
        return n == 1 ? "" : out.toString();
    }

    private static String label(AgentChatResponse.Source source) {
        if (source.url() != null && !source.url().isBlank()) {
            String title = source.title() == null || source.title().isBlank() ? "" : clip(source.title()) + " ";
            return title + "<" + source.url() + ">";
        }
        String name = source.source() == null ? "" : clip(source.source());
        return source.page() == null ? name : name + ", p. " + source.page();
    }

    private static String clip(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_LABEL ? flat : flat.substring(0, MAX_LABEL - 1) + "…";
    }
}
