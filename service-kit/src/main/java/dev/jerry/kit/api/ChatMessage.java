package dev.jerry.kit.api;

import java.util.Objects;
import java.util.Set;

/** One message of a conversation sent to a model: {@code system}, {@code user}, {@code assistant} or {@code tool}. */
public record ChatMessage(String role, String content) {
    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    public ChatMessage {
        Objects.requireNonNull(role, "field 'role' is required");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException(
                    "field 'role' must be one of system, user, assistant, tool; got '" + role + "'");
        }
        content = content == null ? "" : content;
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }
}
