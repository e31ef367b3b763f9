package dev.jerry.agent.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.http.RequestIds;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * model-service as the agent calls it (langchain4j-ollama against its Ollama API). LangChain4j gives a model call no
 * per-call context, but model-service needs one per call: the user ({@code X-Jerry-User}, for its fair queue), the
 * request id, and a place to report queue lines. So the AI service's model is {@link #model()}, which reads the
 * {@link Turn} that the AI service's request transformer attached to the request, and makes the call through a light
 * Ollama client for that turn over the one shared HTTP client. Each answer's real prompt token count calibrates the
 * {@link TokenBudget}.
 */
final class ModelCalls {
    private static final Logger log = LoggerFactory.getLogger(ModelCalls.class);

    /** A chat request that knows its turn. */
    static final class TurnRequest extends ChatRequest {
        private final Turn turn;

        TurnRequest(ChatRequest request, Turn turn) {
            super(request.toBuilder());
            this.turn = turn;
        }
    }

    private final URI url;
    private final String modelName;
    private final Optional<String> token;
    private final Duration timeout;
    private final QueueWatch http;
    private final TokenBudget budget;
    private final ModelFailures failures;
    private final ServiceClient info;
    private final OllamaStreamingChatModel defaults;
    private final java.util.concurrent.atomic.AtomicLong lastAsked = new java.util.concurrent.atomic.AtomicLong();

    ModelCalls(
            URI url,
            String modelName,
            Optional<String> token,
            Duration timeout,
            ServiceClient info,
            TokenBudget budget) {
        this.url = url;
        this.modelName = modelName;
        this.token = token;
        this.timeout = timeout;
        this.http = new QueueWatch(Duration.ofSeconds(5));
        this.budget = budget;
        this.failures = new ModelFailures(url, modelName);
        this.info = info;
        this.defaults = client(null, null, status -> {});
    }

    /** The model asked for when a turn's place chose none ({@code JERRY_AGENT_MODEL}). */
    String modelName() {
        return modelName;
    }

    ModelFailures failures() {
        return failures;
    }

    TokenBudget budget() {
        return budget;
    }

    private OllamaStreamingChatModel client(String user, String requestId, Consumer<String> status) {
        return client(user, requestId, status, () -> {}, true);
    }

    /** A client for one call; {@code cache} false asks model-service to skip its semantic cache. */
    private OllamaStreamingChatModel client(
            String user, String requestId, Consumer<String> status, Runnable cacheHit, boolean cache) {
        Map<String, String> headers = new HashMap<>();
        if (!cache) {
            headers.put("X-Jerry-Cache", "bypass");
        }
        token.ifPresent(t -> headers.put("Authorization", "Bearer " + t));
        if (user != null) {
            headers.put("X-Jerry-User", user);
        }
        if (requestId != null) {
            headers.put(RequestIds.HEADER, requestId);
        }
        return OllamaStreamingChatModel.builder()
                .httpClientBuilder(http.forCall(status, cacheHit))
                .baseUrl(url.toString())
                .modelName(modelName)
                .timeout(timeout)
                .customHeaders(headers)
                .build();
    }

    /** The model of the AI service: each call goes out for the turn its request carries. */
    StreamingChatModel model() {
        return new StreamingChatModel() {
            @Override
            public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
                Turn turn = request instanceof TurnRequest t ? t.turn : null;
                if (turn != null) {
                    turn.sink().modelCall();
                }
                OllamaStreamingChatModel client = turn == null
                        ? defaults
                        : client(
                                turn.userId(),
                                turn.requestId(),
                                turn.sink()::status,
                                turn.sink()::cacheHit,
                                turn.choices().cache());
                client.chat(request, measured(request, handler));
            }

            @Override
            public ChatRequestParameters defaultRequestParameters() {
                return defaults.defaultRequestParameters();
            }
        };
    }

    /**
     * The AI service's chat request transformer: attaches the turn, and asks for no longer an answer than the
     * prompt budget left room for.
     */
    ChatRequest attach(ChatRequest request, Object memoryId) {
        var overrides = DefaultChatRequestParameters.builder().maxOutputTokens(budget.answerTokens());
        if (memoryId instanceof Turn turn) {
            overrides.modelName(turn.choices().model());
        }
        ChatRequest capped = request.toBuilder()
                .parameters(request.parameters().overrideWith(overrides.build()))
                .build();
        return memoryId instanceof Turn turn ? new TurnRequest(capped, turn) : capped;
    }

    private static long chars(ChatRequest request) {
        long chars = 0;
        for (ChatMessage m : request.messages()) {
            chars += TurnMemory.text(m).length();
        }
        return chars;
    }

    /** Learns from the answer's prompt token count, and from a refusal over the context. */
    private StreamingChatResponseHandler measured(ChatRequest request, StreamingChatResponseHandler handler) {
        long chars = chars(request);
        return new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                handler.onPartialResponse(text);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handler.onPartialResponse(partial, context);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                if (response.tokenUsage() != null && response.tokenUsage().inputTokenCount() != null) {
                    budget.observed(chars, response.tokenUsage().inputTokenCount());
                }
                handler.onCompleteResponse(response);
            }

            @Override
            public void onError(Throwable error) {
                ModelFailures.overflow(error).ifPresent(overflow -> {
                    log.info(
                            "model-service refused a prompt of {} characters as {} tokens over a context of {}",
                            chars,
                            overflow.promptTokens(),
                            overflow.contextTokens());
                    budget.overflowed(chars, overflow);
                });
                handler.onError(error);
            }
        };
    }

    /** A plain completion (for summaries) for {@code user}: the stream collected, failures translated. */
    String complete(List<ChatMessage> messages, String user) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        ChatRequest request = ChatRequest.builder()
                .messages(messages)
                .parameters(DefaultChatRequestParameters.builder()
                        .maxOutputTokens(Math.min(256, budget.answerTokens()))
                        .build())
                .build();
        client(user, null, status -> {}).chat(request, measured(request, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        }));
        try {
            String text = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .aiMessage()
                    .text();
            return text == null ? "" : text;
        } catch (TimeoutException e) {
            throw new UpstreamException.Timeout(ModelFailures.UPSTREAM, "the summary took too long", e);
        } catch (ExecutionException e) {
            throw failures.translate(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable(ModelFailures.UPSTREAM, "interrupted", e);
        }
    }

    /**
     * Asks model-service how large the model's context is ({@code /api/show}), until it says; at most once a minute,
     * as a backend that does not know (0) would otherwise be asked on every turn.
     */
    void learnContext() {
        long now = System.nanoTime();
        long last = lastAsked.get();
        if (budget.contextKnown()
                || last != 0 && now - last < Duration.ofMinutes(1).toNanos()
                || !lastAsked.compareAndSet(last, now)) {
            return;
        }
        try {
            JsonNode modelInfo = info.post("/api/show", Map.of("model", modelName), JsonNode.class)
                    .path("model_info");
            for (Iterator<Map.Entry<String, JsonNode>> it = modelInfo.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().endsWith(".context_length")
                        && field.getValue().asInt() > 0) {
                    budget.context(field.getValue().asInt());
                    log.info(
                            "model '{}' has a context of {} tokens",
                            modelName,
                            field.getValue().asInt());
                    return;
                }
            }
        } catch (UpstreamException e) {
            log.debug("context size of '{}' not known yet: {}", modelName, e.getMessage());
        }
    }
}
