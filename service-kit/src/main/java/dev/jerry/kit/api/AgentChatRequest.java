package dev.jerry.kit.api;

import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/chat} of agent-service.
 *
 * @param conversationId {@code dm:<user>}, {@code guild:<guild>:channel:<channel>:user:<user>}, or a conversation
 *     several users share: {@code guild:<guild>:channel:<channel>:chain:<root message>} (a reply chain) and
 *     {@code guild:<guild>:channel:<parent>:thread:<thread>} (a thread Jerry opened)
 * @param persona the persona of a message without a leading {@code /name} (a channel's setting); absent: none
 * @param model the chat model for this turn (a channel's setting or a member's pick); absent: the agent's
 * @param collection the knowledge-base collection {@code rag_search} searches; absent: rag-service's default
 * @param cache false: model-service's semantic cache must not answer this turn; absent: it may
 * @param history when present, the earlier turns the model is given instead of the stored ones (a reply chain read
 *     from Discord: a branch sees only its own path); the turn is still stored under {@code conversationId}
 */
public record AgentChatRequest(
        String conversationId,
        UserRef user,
        String message,
        Boolean stream,
        String persona,
        String model,
        String collection,
        Boolean cache,
        List<HistoryMessage> history) {
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
        checkModel(model);
        if (collection != null) {
            CollectionNames.problem("collection", collection).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        if (history != null && history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException(
                    "field 'history' has " + history.size() + " messages; the limit is " + MAX_HISTORY);
        }
        history = history == null ? null : List.copyOf(history);
    }

    /** A turn with the agent's own settings that continues the stored conversation. */
    public AgentChatRequest(String conversationId, UserRef user, String message, Boolean stream) {
        this(conversationId, user, message, stream, null, null, null, null, null);
    }

    /** This turn with a place's settings. */
    public AgentChatRequest with(String persona, String model, String collection, Boolean cache) {
        return new AgentChatRequest(conversationId, user, message, stream, persona, model, collection, cache, history);
    }

    /** This turn with {@code history} (a reply chain) in place of the stored turns; null: the stored ones. */
    public AgentChatRequest withHistory(List<HistoryMessage> history) {
        return new AgentChatRequest(conversationId, user, message, stream, persona, model, collection, cache, history);
    }

    /** A model a turn names (the place's setting or a member's pick): absent, or a name of at most 200 characters. */
    static void checkModel(String model) {
        if (model != null && (model.isBlank() || model.length() > 200)) {
            throw new IllegalArgumentException("field 'model' must be a model name of at most 200 characters");
        }
    }
}
