package dev.jerry.kit.api;

import java.time.Instant;
import java.util.List;

/**
 * One finished turn as feedback refers to it: who asked, with which persona and model, whether model-service's cache
 * answered, what was cited, and the question and answer (removed with the conversation when it is forgotten).
 */
public record TurnRecord(
        String id,
        String conversationId,
        String userId,
        String persona,
        String model,
        boolean cached,
        List<AgentChatResponse.Source> sources,
        String question,
        String answer,
        Instant createdAt) {
    public TurnRecord {
        sources = List.copyOf(sources);
    }
}
