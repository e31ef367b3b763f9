package dev.jerry.agent.chat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A tool the agent may call: its name (as the model sees it and personas list it), what a streamed turn shows while it
 * runs, and how long one call may take before the agent goes on without it.
 */
public record AgentTool(String name, String status, Duration timeout) {
    public static final AgentTool RAG_SEARCH =
            new AgentTool("rag_search", "searching the knowledge base…", Duration.ofSeconds(10));
    public static final AgentTool WEB_SEARCH =
            new AgentTool("web_search", "searching the web…", Duration.ofSeconds(10));
    public static final List<AgentTool> ALL = List.of(RAG_SEARCH, WEB_SEARCH);

    public static Optional<AgentTool> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return ALL.stream().map(AgentTool::name).toList();
    }
}
