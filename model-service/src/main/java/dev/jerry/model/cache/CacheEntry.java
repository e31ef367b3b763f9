package dev.jerry.model.cache;

import dev.jerry.model.backend.Generation;

/**
 * One cached answer: the question it answered (the last message), its embedding when that was a user question, and
 * the complete generation.
 *
 * @param embedding null when the last message was not a user question (those match only exactly)
 */
public record CacheEntry(String key, String partition, String question, float[] embedding, Generation generation) {}
