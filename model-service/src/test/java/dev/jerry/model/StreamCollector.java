package dev.jerry.model;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Collects what a real langchain4j streaming client receives: the partial texts and the final response. */
final class StreamCollector implements StreamingChatResponseHandler {
    private final List<String> partials = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partial) {
        partials.add(partial);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    List<String> partials() {
        return partials;
    }

    ChatResponse await() throws Exception {
        return done.get(30, TimeUnit.SECONDS);
    }
}
