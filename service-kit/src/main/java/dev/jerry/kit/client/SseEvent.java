package dev.jerry.kit.client;

/** One Server-Sent Event: {@code event} defaults to {@code message}; multi-line data is joined with new lines. */
public record SseEvent(String event, String data, String id) {}
