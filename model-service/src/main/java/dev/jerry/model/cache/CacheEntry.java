package dev.jerry.model.cache;

import dev.jerry.model.backend.Generation;

/**
 * One cached answer: the question it answered (the last message), its normalized form and embedding when that was a
 * user question, and the complete generation.
 *
 * @param normalized null when the last message was not a user question (those match only exactly)
 * @param embedding null when the last message was not a user question, or not embedded yet
 */
public record CacheEntry(
        String key, String partition, String question, String normalized, float[] embedding, Generation generation) {}
