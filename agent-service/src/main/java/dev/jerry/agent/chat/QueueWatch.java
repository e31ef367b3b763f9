package dev.jerry.agent.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP client LangChain4j's Ollama client uses to reach model-service, over one shared JDK client. It does two
 * things the stock client cannot:
 *
 * <ul>
 *   <li>reads model-service's queue lines out of the stream: before the first token of a waiting request,
 *       model-service sends {@code {"queue_position": 2, "queue_eta_ms": 3400, ...}} lines (with an empty message, so
 *       Ollama clients ignore them); each is reported as a status text ("waiting for the model: 2 ahead, about 4 s");
 *   <li>keeps what a refusal said: an answer other than 2xx becomes a {@link Refusal} with the status, the readable
 *       message of the error body and the {@code Retry-After} header, which LangChain4j's own exception drops.
 * </ul>
 *
 * (Its length is LangChain4j's HTTP client interface: a builder, a client, and a listener to pass events through.)
 */
public final class QueueWatch {
    private final java.net.http.HttpClient http;

    public QueueWatch(Duration connectTimeout) {
        this.http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** model-service answered with an error status: what it said, readable, and when to come back if it said so. */
    public static final class Refusal extends HttpException {
        private final String detail;
        private final Optional<Duration> retryAfter;

        Refusal(int status, String detail, Optional<Duration> retryAfter) {
            super(status, detail);
            this.detail = detail;
            this.retryAfter = retryAfter;
        }

        /** The {@code message} of the error body (Jerry's, OpenAI's or Ollama's shape), or the body itself, clipped. */
        public String detail() {
            return detail;
        }

        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
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

    /** The readable message of an error body: {@code error.message}, {@code error} as text, or the body clipped. */
    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "no details";
        }
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON (a proxy's HTML page): fall through to the clipped text
        }
        String text = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value.strip()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** A client for one model call, reporting queue lines to {@code status}. */
    public HttpClientBuilder forCall(Consumer<String> status) {
        return forCall(status, () -> {});
    }

    /** A client for one model call that also says when model-service's semantic cache answered it. */
    public HttpClientBuilder forCall(Consumer<String> status, Runnable cacheHit) {
        return new Builder(status, cacheHit);
    }

    /** Whether a line of the answer is the last one, saying that the cache gave the answer. */
    static boolean cacheHit(String data) {
        if (data == null || !data.contains("\"cached\"")) {
            return false;
        }
        try {
            return Json.mapper().readTree(data).path("cached").asBoolean(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private final class Builder implements HttpClientBuilder {
        private final Consumer<String> status;
        private final Runnable cacheHit;
        private Duration readTimeout = Duration.ofMinutes(2);

        Builder(Consumer<String> status, Runnable cacheHit) {
            this.status = status;
            this.cacheHit = cacheHit;
        }

        @Override
        public Duration connectTimeout() {
            return http.connectTimeout().orElse(null);
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            return this; // the shared client's
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                readTimeout = timeout;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            return new Client(status, cacheHit, readTimeout);
        }
    }

    private final class Client implements HttpClient {
        private final Consumer<String> status;
        private final Runnable cacheHit;
        private final Duration readTimeout;

        Client(Consumer<String> status, Runnable cacheHit, Duration readTimeout) {
            this.status = status;
            this.cacheHit = cacheHit;
            this.readTimeout = readTimeout;
        }

        private java.net.http.HttpRequest jdk(HttpRequest request) {
            var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                    .timeout(readTimeout)
                    .method(
                            request.method().name(),
                            request.body() == null
                                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                    : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
            request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
            return builder.build();
        }

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            try {
                HttpResponse<byte[]> response = http.send(jdk(request), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() / 100 != 2) {
                    throw new Refusal(
                            response.statusCode(),
                            detail(new String(response.body(), StandardCharsets.UTF_8)),
                            retryAfter(response));
                }
                return SuccessfulHttpResponse.builder()
                        .statusCode(response.statusCode())
                        .headers(response.headers().map())
                        .body(response.body())
                        .build();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            java.net.http.HttpRequest jdkRequest = jdk(request);
            Thread.ofVirtual().name("model-stream").start(() -> {
                HttpResponse<InputStream> response;
                try {
                    response = http.send(jdkRequest, HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    listener.onError(e);
                    return;
                } catch (InterruptedException e) {
                    listener.onError(e);
                    return;
                }
                try (InputStream body = response.body()) {
                    if (response.statusCode() / 100 != 2) {
                        listener.onError(new Refusal(
                                response.statusCode(),
                                detail(new String(body.readAllBytes(), StandardCharsets.UTF_8)),
                                retryAfter(response)));
                        return;
                    }
                    listener.onOpen(SuccessfulHttpResponse.builder()
                            .statusCode(response.statusCode())
                            .headers(response.headers().map())
                            .build());
                    parser.parse(body, new Watching(listener, status, cacheHit));
                    listener.onClose();
                } catch (IOException | RuntimeException e) {
                    listener.onError(e);
                }
            });
        }
    }

    private static final class Watching implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private final Consumer<String> status;
        private final Runnable cacheHit;

        Watching(ServerSentEventListener delegate, Consumer<String> status, Runnable cacheHit) {
            this.delegate = delegate;
            this.status = status;
            this.cacheHit = cacheHit;
        }

        private void watch(ServerSentEvent event) {
            String text = describe(event.data());
            if (text != null) {
                status.accept(text);
            }
            if (cacheHit(event.data())) {
                cacheHit.run();
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
            // the stream's end is reported once, by the client
        }
    }
}
