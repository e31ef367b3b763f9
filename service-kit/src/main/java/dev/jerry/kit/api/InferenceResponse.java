package dev.jerry.kit.api;

/** The answer of {@code POST /v1/inference}; also the data of the {@code done} event when streaming. */
public record InferenceResponse(
        String text,
        String model,
        String finishReason,
        Usage usage,
        boolean cached,
        Double cacheSimilarity,
        long queueMs,
        long latencyMs) {
    public record Usage(int promptTokens, int completionTokens) {}
}
