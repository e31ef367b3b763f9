package dev.jerry.kit.api;

import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/chat} of agent-service.
 *
 * @param conversationId {@code dm:<user>}, {@code guild:<guild>:channel:<channel>:user:<user>}, or a conversation
 *     several users share: {@code guild:<guild>:channel:<channel>:chain:<root message>} (a reply chain) and
 *     {@code guild:<guild>:channel:<parent>:thread:<thread>} (a thread Jerry opened)
 * @param history when present, the earlier turns the model is given instead of the stored ones (a reply chain read
 *     from Discord: a branch sees only its own path); the turn is still stored under {@code conversationId}
 */
public record AgentChatRequest(
        String conversationId, UserRef user, String message, Boolean stream, List<HistoryMessage> history) {
    public static final int MAX_MESSAGE_CHARS = 4000;
    public static final int MAX_HISTORY = 50;
    public static final int MAX_HISTORY_CHARS = 20_000;

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

    /** One earlier message of the conversation: {@code user} or {@code assistant}, and its text. */
    public record HistoryMessage(String role, String content) {
        private static final Set<String> ROLES = Set.of("user", "assistant");

        public HistoryMessage {
            if (role == null || !ROLES.contains(role)) {
                throw new IllegalArgumentException(
                        "field 'history[].role' must be user or assistant, got '" + role + "'");
            }
            if (content == null) {
                throw new IllegalArgumentException("field 'history[].content' is required");
            }
            if (content.length() > MAX_HISTORY_CHARS) {
                throw new IllegalArgumentException("field 'history[].content' is " + content.length()
                        + " characters; the limit is " + MAX_HISTORY_CHARS);
            }
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
        if (history != null && history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException(
                    "field 'history' has " + history.size() + " messages; the limit is " + MAX_HISTORY);
        }
        history = history == null ? null : List.copyOf(history);
    }

    /** A turn that continues the stored conversation. */
    public AgentChatRequest(String conversationId, UserRef user, String message, Boolean stream) {
        this(conversationId, user, message, stream, null);
    }
}
