package dev.jerry.kit.api;

import java.util.List;

/**
 * {@code POST /v1/chat} of agent-service.
 *
 * @param conversationId {@code dm:<user>} or {@code guild:<guild>:channel:<channel>:user:<user>}
 * @param persona the persona of a message without a leading {@code /name} (a channel's setting); absent: none
 * @param model the chat model for this turn (a channel's setting or a member's pick); absent: the agent's
 * @param collection the knowledge-base collection {@code rag_search} searches; absent: rag-service's default
 * @param cache false: model-service's semantic cache must not answer this turn; absent: it may
 */
public record AgentChatRequest(
        String conversationId,
        UserRef user,
        String message,
        Boolean stream,
        String persona,
        String model,
        String collection,
        Boolean cache) {
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
        if (model != null && (model.isBlank() || model.length() > 200)) {
            throw new IllegalArgumentException("field 'model' must be a model name of at most 200 characters");
        }
        if (collection != null && !collection.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException(
                    "field 'collection' must be letters, digits, '.', '_' or '-' (at most 100), got '" + collection
                            + "'");
        }
    }

    /** A turn with the agent's own settings. */
    public AgentChatRequest(String conversationId, UserRef user, String message, Boolean stream) {
        this(conversationId, user, message, stream, null, null, null, null);
    }

    /** This turn with a place's settings. */
    public AgentChatRequest with(String persona, String model, String collection, Boolean cache) {
        return new AgentChatRequest(conversationId, user, message, stream, persona, model, collection, cache);
    }
}
