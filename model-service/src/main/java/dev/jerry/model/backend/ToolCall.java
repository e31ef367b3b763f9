package dev.jerry.model.backend;

import com.fasterxml.jackson.databind.JsonNode;

/** A call of a tool that the model asked for; {@code arguments} is a JSON object matching the tool's schema. */
public record ToolCall(String id, String name, JsonNode arguments) {}
