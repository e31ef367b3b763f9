package dev.jerry.agent.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads model-service's queue lines out of the Ollama stream that LangChain4j consumes: before the first token of a
 * waiting request, model-service sends {@code {"queue_position": 2, "queue_eta_ms": 3400, ...}} lines (with an empty
 * message, so Ollama clients ignore them). This HTTP client passes every line on unchanged and reports each queue
 * line as a status text, which agent-service streams to its caller ("waiting for the model: 2 ahead, about 4 s").
 */
public final class QueueWatch implements HttpClientBuilder {
    private final HttpClientBuilder delegate = JdkHttpClient.builder();
    private final Consumer<String> status;

    public QueueWatch(Consumer<String> status) {
        this.status = status;
    }

    /** The status line for a queue position, or null when there is nothing to wait for. */
    static String describe(String data) {
        if (data == null || !data.contains("\"queue_position\"")) {
            return null;
        }
        try {
            JsonNode line = Json.mapper().readTree(data);
            int ahead = line.path("queue_position").asInt(0);
            long etaMs = line.path("queue_eta_ms").asLong(0);
            if (ahead <= 0 && etaMs <= 0) {
                return null; // not waiting
            }
            long seconds = Math.max(1, Math.round(etaMs / 1000.0));
            return "waiting for the model: " + (ahead <= 0 ? "next in line" : ahead + " ahead") + ", about " + seconds
                    + " s…";
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        delegate.connectTimeout(timeout);
        return this;
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        delegate.readTimeout(timeout);
        return this;
    }

    @Override
    public HttpClient build() {
        HttpClient client = delegate.build();
        return new HttpClient() {
            @Override
            public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
                return client.execute(request);
            }

            @Override
            public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
                client.execute(request, parser, new Watching(listener));
            }
        };
    }

    private final class Watching implements ServerSentEventListener {
        private final ServerSentEventListener delegate;

        Watching(ServerSentEventListener delegate) {
            this.delegate = delegate;
        }

        private void watch(ServerSentEvent event) {
            String text = describe(event.data());
            if (text != null) {
                status.accept(text);
            }
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            watch(event);
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            watch(event);
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(error);
        }

        @Override
        public void onClose() {
            delegate.onClose();
        }
    }
}
