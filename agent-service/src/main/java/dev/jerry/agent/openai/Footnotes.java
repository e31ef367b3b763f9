package dev.jerry.agent.openai;

import dev.jerry.kit.api.AgentChatResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sources as an OpenAI client can show them: numbered footnotes after the answer ({@code [1] manual.pdf, page 2 -
 * Reactor Manual > Cooling}), in the order the tools found them, which is the order the model was given them in.
 */
final class Footnotes {
    private Footnotes() {}

    /** The footnotes block, starting with a blank line; empty without sources. */
    static String of(List<AgentChatResponse.Source> sources) {
        if (sources.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n\nSources:");
        int n = 1;
        for (AgentChatResponse.Source s : sources) {
            text.append("\n[").append(n++).append("] ").append(line(s));
        }
        return text.toString();
    }

    private static String line(AgentChatResponse.Source s) {
        StringBuilder line = new StringBuilder(s.url() != null ? s.url() : s.source());
        if (s.page() != null) {
            line.append(", page ").append(s.page());
        }
        if (s.title() != null && !s.title().isBlank() && !s.title().equals(s.url())) {
            line.append(" - ").append(s.title());
        }
        if (s.section() != null && !s.section().isBlank()) {
            line.append(" > ").append(s.section());
        }
        return line.toString();
    }

    /** The same sources as structured data, with the footnote numbers. */
    static List<Map<String, Object>> numbered(List<AgentChatResponse.Source> sources) {
        List<Map<String, Object>> numbered = new ArrayList<>();
        int n = 1;
        for (AgentChatResponse.Source s : sources) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("n", n++);
            entry.put("source", s.source());
            entry.put("page", s.page());
            entry.put("title", s.title());
            entry.put("url", s.url());
            entry.put("section", s.section());
            numbered.add(entry);
        }
        return numbered;
    }
}
