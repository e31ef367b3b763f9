package dev.jerry.kit.api;

import java.util.List;

/**
 * {@code POST /v1/chat} of agent-service.
 *
 * @param conversationId {@code dm:<user>} or {@code guild:<guild>:channel:<channel>:user:<user>}
 */
public record AgentChatRequest(String conversationId, UserRef user, String message, Boolean stream) {
    public static final int MAX_MESSAGE_CHARS = 4000;

    /** Who is asking: their Discord id and display name, and roles for personas and quotas. */
    public record UserRef(String id, String name, List<String> roles) {
        public UserRef {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("field 'user.id' is required");
            }
            name = name == null || name.isBlank() ? id : name;
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public AgentChatRequest {
        if (conversationId == null || conversationId.isBlank()) {
            throw new IllegalArgumentException("field 'conversation_id' is required");
        }
        if (user == null) {
            throw new IllegalArgumentException("field 'user' is required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("field 'message' is required");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new IllegalArgumentException(
                    "field 'message' is " + message.length() + " characters; the limit is " + MAX_MESSAGE_CHARS);
        }
    }
}
