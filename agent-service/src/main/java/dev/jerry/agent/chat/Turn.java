package dev.jerry.agent.chat;

import dev.jerry.agent.attach.Attachments;
import dev.jerry.agent.memory.Conversation;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One attempt at a turn, and the AI service's memory id for it: the conversation's stored part, the persona and the
 * question, who asks (for model-service's fair queue), where status and text go, and where its tools put sources.
 *
 * @param attempt makes two attempts of the same turn (the retry after a context overflow) two memories
 * @param tight whether the prompt must be cut harder than the estimate says (the retry after an overflow)
 * @param choices the model, collection and cache use of the place the turn is asked in
 * @param attached the conversation's attached images: shown to the model with the question, or, to a model that cannot
 *     see, only named
 */
record Turn(
        UUID attempt,
        String conversationId,
        String userId,
        String requestId,
        Persona persona,
        String question,
        Optional<Conversation> stored,
        boolean tight,
        TurnSink sink,
        Sources sources,
        Choices choices,
        Attachments.Shown attached) {
    /**
     * What a place (a channel's settings, a member's pick) chose for its turns.
     *
     * @param model the model asked for at model-service
     * @param collection the collection {@code rag_search} searches; null: rag-service's default
     * @param cache whether model-service's semantic cache may answer
     */
    record Choices(String model, String collection, boolean cache) {}

    /** The images shown to the model with the question. */
    List<Attachments.Image> images() {
        return attached.images();
    }

    Turn retryTight() {
        return new Turn(
                UUID.randomUUID(),
                conversationId,
                userId,
                requestId,
                persona,
                question,
                stored,
                true,
                new TurnSink(sink.events()),
                sources,
                choices,
                attached);
    }
}
