package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.ApiFamily;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.inference.Inference;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI API's completions: {@code /v1/chat/completions} and the legacy {@code /v1/completions} (plain and streamed
 * as {@code data: chunk} events ending with {@code data: [DONE]}), and {@code /v1/models}; {@link OpenAiEmbeddings}
 * has {@code /v1/embeddings}. The two completion APIs share one streaming path and differ only in their chunks
 * ({@code Dialect}), which is why they live together.
 */
public final class OpenAiRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(OpenAiRoutes.class);

    record StreamOptions(Boolean includeUsage) {}

    record CompletionBody(
            String model,
            List<JsonNode> messages,
            Integer maxTokens,
            Integer maxCompletionTokens,
            Double temperature,
            Double topP,
            Long seed,
            Boolean stream,
            StreamOptions streamOptions,
            JsonNode tools,
            JsonNode toolChoice,
            JsonNode responseFormat) {}

    /** The legacy completion: one prompt, answered through the model's chat template like Ollama's generate. */
    record LegacyCompletionBody(
            String model,
            JsonNode prompt,
            Integer maxTokens,
            Double temperature,
            Double topP,
            Long seed,
            Boolean stream,
            StreamOptions streamOptions,
            Integer n,
            Boolean echo,
            String suffix) {}

    record Usage(int promptTokens, int completionTokens, int totalTokens) {
        static Usage of(Generation g) {
            return new Usage(g.promptTokens(), g.completionTokens(), g.promptTokens() + g.completionTokens());
        }
    }

    private final Inference inference;
    private final ImageBodies bodies;

    public OpenAiRoutes(Inference inference, ImageBodies bodies) {
        this.inference = inference;
        this.bodies = bodies;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/chat/completions", this::complete);
        routes.post("/v1/completions", this::legacyComplete);
        routes.get("/v1/models", ctx -> {
            List<Map<String, Object>> data = new ArrayList<>();
            for (String model : inference.router().chatModels()) {
                data.add(model(model));
            }
            data.add(model(inference.router().embedder().id()));
            ctx.json(Map.of("object", "list", "data", data));
        });
    }

    private static Map<String, Object> model(String id) {
        return Map.of("id", id, "object", "model", "created", 0, "owned_by", "jerry");
    }

    private void complete(Context ctx) throws IOException {
        CompletionBody body = Json.readRequest(ctx.body(), CompletionBody.class);
        Integer maxTokens = body.maxCompletionTokens() != null ? body.maxCompletionTokens() : body.maxTokens();
        List<ChatMessage> messages = Messages.parse(body.messages());
        bodies.check(ctx, messages);
        Inference.Ask ask = new Inference.Ask(
                        body.model(),
                        messages,
                        maxTokens,
                        body.temperature(),
                        body.seed(),
                        Messages.tools(body.tools()),
                        Messages.toolChoice(body.toolChoice()),
                        CacheHeader.allows(ctx))
                .withUser(Queueing.user(ctx))
                .withFormat(ResponseFormats.openAi(body.responseFormat()))
                .withTopP(body.topP());
        String id = "chatcmpl-" + RequestIds.generate();
        long created = Instant.now().getEpochSecond();
        if (!Boolean.TRUE.equals(body.stream())) {
            Inference.Outcome outcome = inference.chat(ask, TokenSink.NONE, Queueing.headers(ctx));
            CacheHeader.report(ctx, outcome);
            Generation g = outcome.generation();
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", g.toolCalls().isEmpty() ? g.text() : null);
            if (!g.toolCalls().isEmpty()) {
                message.put("tool_calls", Messages.openAiCalls(g.toolCalls(), false));
            }
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("message", message);
            choice.put("finish_reason", g.finishReason());
            Map<String, Object> response = chunkBase(id, created, outcome.model());
            response.put("object", "chat.completion");
            response.put("choices", List.of(choice));
            response.put("usage", Usage.of(g));
            response.put("cached", outcome.cached());
            if (outcome.similarity() != null) {
                response.put("cache_similarity", outcome.similarity());
            }
            ctx.json(response);
            return;
        }
        stream(
                ctx,
                ask,
                new Dialect("chat.completion.chunk", id, created) {
                    @Override
                    Map<String, Object> first() {
                        return delta(Map.of("role", "assistant", "content", ""), null);
                    }

                    @Override
                    Map<String, Object> piece(String text) {
                        return delta(Map.of("content", text), null);
                    }

                    @Override
                    List<Map<String, Object>> last(Generation g) {
                        List<Map<String, Object>> chunks = new ArrayList<>();
                        if (!g.toolCalls().isEmpty()) {
                            chunks.add(delta(Map.of("tool_calls", Messages.openAiCalls(g.toolCalls(), true)), null));
                        }
                        chunks.add(delta(Map.of(), g.finishReason()));
                        return chunks;
                    }

                    private Map<String, Object> delta(Map<String, Object> delta, String finishReason) {
                        Map<String, Object> choice = new LinkedHashMap<>();
                        choice.put("index", 0);
                        choice.put("delta", delta);
                        choice.put("finish_reason", finishReason);
                        return chunk(choice);
                    }
                },
                body.streamOptions());
    }

    private void legacyComplete(Context ctx) throws IOException {
        LegacyCompletionBody body = Json.readRequest(ctx.body(), LegacyCompletionBody.class);
        if (body.n() != null && body.n() != 1) {
            throw new ServiceException.BadInput("n", "field 'n': only one completion per request is supported");
        }
        if (Boolean.TRUE.equals(body.echo())) {
            throw new ServiceException.BadInput("echo", "field 'echo' is not supported");
        }
        if (body.suffix() != null && !body.suffix().isEmpty()) {
            throw new ServiceException.BadInput("suffix", "field 'suffix' is not supported (no fill-in-the-middle)");
        }
        List<String> prompts = Inputs.texts(body.prompt(), "prompt");
        if (prompts.size() != 1) {
            throw new ServiceException.BadInput("prompt", "field 'prompt': only one prompt per request is supported");
        }
        Inference.Ask ask = new Inference.Ask(
                        body.model(),
                        List.of(ChatMessage.user(prompts.getFirst())),
                        body.maxTokens(),
                        body.temperature(),
                        body.seed())
                .withCache(CacheHeader.allows(ctx))
                .withUser(Queueing.user(ctx))
                .withTopP(body.topP());
        String id = "cmpl-" + RequestIds.generate();
        long created = Instant.now().getEpochSecond();
        var dialect = new Dialect("text_completion", id, created) {
            @Override
            Map<String, Object> piece(String text) {
                return text(text, null);
            }

            @Override
            List<Map<String, Object>> last(Generation g) {
                return new ArrayList<>(List.of(text("", g.finishReason())));
            }

            Map<String, Object> text(String text, String finishReason) {
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("text", text);
                choice.put("index", 0);
                choice.put("logprobs", null);
                choice.put("finish_reason", finishReason);
                return chunk(choice);
            }
        };
        if (Boolean.TRUE.equals(body.stream())) {
            stream(ctx, ask, dialect, body.streamOptions());
            return;
        }
        Inference.Outcome outcome = inference.chat(ask, TokenSink.NONE, Queueing.headers(ctx));
        Generation g = outcome.generation();
        dialect.model = outcome.model();
        Map<String, Object> response = dialect.text(g.text(), g.finishReason());
        response.put("usage", Usage.of(g));
        ctx.json(response);
    }

    /** How a streamed answer's chunks look in one of the two completion APIs. */
    private abstract static class Dialect {
        final String object;
        final String id;
        final long created;
        String model;

        Dialect(String object, String id, long created) {
            this.object = object;
            this.id = id;
            this.created = created;
        }

        /** The chunk sent before any text, if any. */
        Map<String, Object> first() {
            return null;
        }

        abstract Map<String, Object> piece(String text);

        /** The chunks that end the answer: tool calls, then the finish reason. */
        abstract List<Map<String, Object>> last(Generation g);

        Map<String, Object> chunk(Map<String, Object> choice) {
            Map<String, Object> chunk = base();
            chunk.put("choices", List.of(choice));
            return chunk;
        }

        Map<String, Object> base() {
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("id", id);
            chunk.put("object", object);
            chunk.put("created", created);
            chunk.put("model", model);
            return chunk;
        }
    }

    private void stream(Context ctx, Inference.Ask ask, Dialect dialect, StreamOptions options) throws IOException {
        dialect.model = inference.admit(ask).model(); // unknown model, too long, queue full: before the stream
        StreamWriter out = StreamWriter.sse(ctx);
        Map<String, Object> first = dialect.first();
        if (first != null) {
            out.event(null, first);
        }
        try {
            Inference.Outcome outcome =
                    inference.chat(ask, text -> out.event(null, dialect.piece(text)), (position, eta) -> {
                        Map<String, Object> queued = dialect.base();
                        queued.put("choices", List.of());
                        queued.put("queue", Map.of("position", position, "eta_ms", eta.toMillis()));
                        out.event(null, queued);
                    });
            Generation g = outcome.generation();
            List<Map<String, Object>> last = dialect.last(g);
            last.getLast().put("cached", outcome.cached()); // as in the plain answer
            for (Map<String, Object> chunk : last) {
                out.event(null, chunk);
            }
            if (options != null && Boolean.TRUE.equals(options.includeUsage())) {
                Map<String, Object> usage = dialect.base();
                usage.put("choices", List.of());
                usage.put("usage", Usage.of(g));
                out.event(null, usage);
            }
            out.event(null, "[DONE]");
        } catch (ClientGoneException e) {
            log.info("client left during a streamed {}; generation cancelled", dialect.object);
        } catch (RuntimeException e) {
            log.warn("streamed {} failed: {}", dialect.object, e.getMessage());
            out.event(null, ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx), ApiFamily.OPENAI));
        }
    }

    private static Map<String, Object> chunkBase(String id, long created, String model) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }
}
