package dev.jerry.model.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A tool the model may call, as both API dialects describe it.
 *
 * @param parameters the JSON schema of its arguments (an object schema)
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
    public ToolSpec {
        Objects.requireNonNull(name, "a tool needs a name");
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("tool name must be 1-64 letters, digits, '_', '.' or '-': " + name);
        }
        description = description == null ? "" : description;
        ToolSchema.check(name, parameters);
    }
}
