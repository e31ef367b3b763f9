package dev.jerry.agent.memory;

/** Someone Jerry talks to: a Discord user id and their display name. */
public record User(String id, String name) {}
