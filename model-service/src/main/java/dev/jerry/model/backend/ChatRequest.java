package dev.jerry.model.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import java.util.List;

/**
 * What every API dialect is turned into before it reaches a backend.
 *
 * @param seed the sampling seed; the same seed gives the same answer
 * @param temperature 0 means greedy
 * @param tools the tools the model may call; empty for a plain answer
 * @param format the JSON schema the answer must follow, or null for free text
 * @param topP nucleus sampling's probability mass (0 < top_p <= 1), or null for the engine's default
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        int maxTokens,
        double temperature,
        long seed,
        List<ToolSpec> tools,
        ToolChoice toolChoice,
        JsonNode format,
        Double topP) {
    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    public ChatRequest(String model, List<ChatMessage> messages, int maxTokens, double temperature, long seed) {
        this(model, messages, maxTokens, temperature, seed, List.of(), ToolChoice.AUTO, null, null);
    }

    public ChatRequest(
            String model,
            List<ChatMessage> messages,
            int maxTokens,
            double temperature,
            long seed,
            List<ToolSpec> tools,
            ToolChoice toolChoice) {
        this(model, messages, maxTokens, temperature, seed, tools, toolChoice, null, null);
    }

    /** Whether this request asks the model to choose between tools and an answer. */
    public boolean usesTools() {
        return !tools.isEmpty() && toolChoice.mode() != ToolChoice.Mode.NONE;
    }
}
