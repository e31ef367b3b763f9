package dev.jerry.model.backend;

/**
 * A finished generation.
 *
 * @param finishReason {@code stop} (the model ended) or {@code length} (max tokens reached)
 */
public record Generation(
        String text,
        String finishReason,
        int promptTokens,
        int completionTokens,
        long timeToFirstTokenNanos,
        long totalNanos) {}
