package dev.jerry.agent.chat;

import dev.jerry.kit.api.AgentChatResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The sources a turn's tools found, in the order they were found, each once; tools add to it from any thread. */
public final class Sources {
    private final Set<AgentChatResponse.Source> found = new LinkedHashSet<>();

    synchronized void add(AgentChatResponse.Source source) {
        found.add(source);
    }

    public synchronized List<AgentChatResponse.Source> list() {
        return new ArrayList<>(found);
    }
}
