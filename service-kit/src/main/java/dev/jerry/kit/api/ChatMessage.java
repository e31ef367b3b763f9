package dev.jerry.kit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One message of a conversation sent to a model: {@code system}, {@code user}, {@code assistant} or {@code tool}.
 *
 * @param images the images the message shows the model, base64-encoded as Ollama takes them; empty for text only (and
 *     then left out of the JSON)
 */
public record ChatMessage(
        String role,
        String content,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> images) {
    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    public ChatMessage {
        Objects.requireNonNull(role, "field 'role' is required");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException(
                    "field 'role' must be one of system, user, assistant, tool; got '" + role + "'");
        }
        content = content == null ? "" : content;
        images = images == null ? List.of() : List.copyOf(images);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of());
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }
}
