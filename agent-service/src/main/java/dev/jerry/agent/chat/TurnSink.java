package dev.jerry.agent.chat;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where one attempt at a turn reports, from whichever thread LangChain4j calls back on: status and text go to the
 * caller's events; a caller that went away, an error or the complete answer end the attempt.
 */
final class TurnSink {
    private final Agent.Events events;
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    private volatile boolean cached;

    TurnSink(Agent.Events events) {
        this.events = events;
    }

    Agent.Events events() {
        return events;
    }

    /** A model call of this attempt starts: whether the cache answered is the last call's. */
    void modelCall() {
        cached = false;
    }

    /** model-service's semantic cache answered the current model call. */
    void cacheHit() {
        cached = true;
    }

    boolean cached() {
        return cached;
    }

    void status(String text) {
        try {
            events.status(text);
        } catch (IOException e) {
            done.completeExceptionally(new Agent.ClientGoneException(e));
        }
    }

    void delta(String text) {
        try {
            events.delta(text);
        } catch (IOException e) {
            done.completeExceptionally(new Agent.ClientGoneException(e));
        }
    }
}
