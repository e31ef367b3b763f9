package dev.jerry.kit.api;

import java.util.List;

/**
 * {@code POST /v1/inference} of model-service.
 *
 * @param model a model name; the default model when absent
 * @param maxTokens most tokens to generate; the service default when absent
 * @param topP nucleus sampling, above 0 and at most 1 (checked by model-service like every dialect's {@code top_p});
 *     the engine's default when absent
 * @param cache {@code use} (default) or {@code bypass}
 */
public record InferenceRequest(
        String model,
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Long seed,
        Boolean stream,
        String cache) {
    public InferenceRequest {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("field 'messages' must hold at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new IllegalArgumentException("field 'messages[" + i + "]' must be a message, got null");
            }
        }
        messages = List.copyOf(messages);
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("field 'max_tokens' must be at least 1, got " + maxTokens);
        }
        if (temperature != null && (!Double.isFinite(temperature) || temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("field 'temperature' must be between 0 and 2, got " + temperature);
        }
        if (cache != null && !cache.equals("use") && !cache.equals("bypass")) {
            throw new IllegalArgumentException("field 'cache' must be 'use' or 'bypass', got '" + cache + "'");
        }
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
