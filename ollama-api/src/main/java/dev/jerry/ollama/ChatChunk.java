package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One line of a chat or generate answer ({@code message} for chat, {@code response} for generate); the last has
 * {@code done: true}, the reason and the counts, durations in nanoseconds. {@code cached}, {@code cache_similarity},
 * {@code queue_position} and {@code queue_eta_ms} are Jerry's additions (absent from Ollama's own answers).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(
        String model,
        String createdAt,
        Message message,
        String response,
        boolean done,
        String doneReason,
        Long totalDuration,
        Long loadDuration,
        Integer promptEvalCount,
        Long promptEvalDuration,
        Integer evalCount,
        Long evalDuration,
        Boolean cached,
        Double cacheSimilarity,
        Integer queuePosition,
        Long queueEtaMs) {
    /** A line with a piece of text (or of tool calls) and nothing else. */
    public static ChatChunk piece(String model, String createdAt, Message message, String response) {
        return new ChatChunk(
                model, createdAt, message, response, false, null, null, null, null, null, null, null, null, null, null,
                null);
    }
}
