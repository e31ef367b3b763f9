package dev.jerry.model.backend;

import dev.jerry.kit.api.ChatMessage;
import java.util.List;

/**
 * What every API dialect is turned into before it reaches a backend.
 *
 * @param seed the sampling seed; the same seed gives the same answer
 * @param temperature 0 means greedy
 */
public record ChatRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature, long seed) {
    public ChatRequest {
        messages = List.copyOf(messages);
    }
}
