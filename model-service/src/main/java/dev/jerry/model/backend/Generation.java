package dev.jerry.model.backend;

import java.util.List;

/**
 * A finished generation: either text, or the tool calls the model asked for.
 *
 * @param finishReason {@code stop} (the model ended), {@code length} (max tokens reached) or {@code tool_calls}
 */
public record Generation(
        String text,
        String finishReason,
        int promptTokens,
        int completionTokens,
        long timeToFirstTokenNanos,
        long totalNanos,
        List<ToolCall> toolCalls) {
    public Generation {
        // a random or broken model can emit the byte 0; model-service refuses NUL in what it is sent, so what it
        // answers must never hold one either (else a client that sends the answer back, as every chat does, is stuck)
        text = text == null ? null : text.replace("\u0000", "");
        toolCalls = List.copyOf(toolCalls);
    }

    public Generation(
            String text,
            String finishReason,
            int promptTokens,
            int completionTokens,
            long timeToFirstTokenNanos,
            long totalNanos) {
        this(text, finishReason, promptTokens, completionTokens, timeToFirstTokenNanos, totalNanos, List.of());
    }
}
