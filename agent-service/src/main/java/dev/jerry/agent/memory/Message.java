package dev.jerry.agent.memory;

import java.time.Instant;

/** One turn of a conversation: {@code user}, {@code assistant} (or {@code system}). */
public record Message(long id, String role, String content, Instant createdAt) {}
