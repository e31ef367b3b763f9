package dev.jerry.model.backend;

import dev.jerry.kit.api.ChatMessage;
import java.util.List;

/**
 * What every API dialect is turned into before it reaches a backend.
 *
 * @param seed the sampling seed; the same seed gives the same answer
 * @param temperature 0 means greedy
 * @param tools the tools the model may call; empty for a plain answer
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        int maxTokens,
        double temperature,
        long seed,
        List<ToolSpec> tools,
        ToolChoice toolChoice) {
    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    public ChatRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature, long seed) {
        this(model, messages, maxTokens, temperature, seed, List.of(), ToolChoice.AUTO);
    }

    /** Whether this request asks the model to choose between tools and an answer. */
    public boolean usesTools() {
        return !tools.isEmpty() && toolChoice.mode() != ToolChoice.Mode.NONE;
    }
}
