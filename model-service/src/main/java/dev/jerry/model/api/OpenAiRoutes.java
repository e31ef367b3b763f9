package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.embedding.Embedder;
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
 * The OpenAI API (the parts chat clients use): {@code /v1/chat/completions} (plain and streamed as
 * {@code data: chunk} events ending with {@code data: [DONE]}), {@code /v1/embeddings}, {@code /v1/models}.
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
            Long seed,
            Boolean stream,
            StreamOptions streamOptions,
            JsonNode tools,
            JsonNode toolChoice) {}

    record EmbeddingsBody(String model, JsonNode input) {}

    record Usage(int promptTokens, int completionTokens, int totalTokens) {
        static Usage of(Generation g) {
            return new Usage(g.promptTokens(), g.completionTokens(), g.promptTokens() + g.completionTokens());
        }
    }

    private final Inference inference;

    public OpenAiRoutes(Inference inference) {
        this.inference = inference;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/chat/completions", this::complete);
        routes.post("/v1/embeddings", this::embeddings);
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
        Inference.Ask ask = new Inference.Ask(
                        body.model(),
                        Messages.parse(body.messages()),
                        maxTokens,
                        body.temperature(),
                        body.seed(),
                        Messages.tools(body.tools()),
                        Messages.toolChoice(body.toolChoice()),
                        CacheHeader.allows(ctx))
                .withUser(Queueing.user(ctx));
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
        String model = inference.admit(ask).model(); // unknown model, too long, queue full: before the stream
        StreamWriter out = StreamWriter.sse(ctx);
        out.event(null, chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
        try {
            Inference.Outcome outcome = inference.chat(
                    ask,
                    text -> out.event(null, chunk(id, created, model, Map.of("content", text), null)),
                    (position, eta) -> {
                        Map<String, Object> queued = chunkBase(id, created, model);
                        queued.put("choices", List.of());
                        queued.put("queue", Map.of("position", position, "eta_ms", eta.toMillis()));
                        out.event(null, queued);
                    });
            Generation g = outcome.generation();
            if (!g.toolCalls().isEmpty()) {
                out.event(
                        null,
                        chunk(
                                id,
                                created,
                                model,
                                Map.of("tool_calls", Messages.openAiCalls(g.toolCalls(), true)),
                                null));
            }
            Map<String, Object> last = chunk(id, created, model, Map.of(), g.finishReason());
            last.put("cached", outcome.cached()); // as in the plain answer
            out.event(null, last);
            if (body.streamOptions() != null
                    && Boolean.TRUE.equals(body.streamOptions().includeUsage())) {
                Map<String, Object> usage = chunkBase(id, created, model);
                usage.put("choices", List.of());
                usage.put("usage", Usage.of(g));
                out.event(null, usage);
            }
            out.event(null, "[DONE]");
        } catch (ClientGoneException e) {
            log.info("client left during a streamed chat completion; generation cancelled");
        } catch (RuntimeException e) {
            log.warn("streamed chat completion failed: {}", e.getMessage());
            out.event(null, ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx)));
        }
    }

    private static Map<String, Object> chunk(
            String id, long created, String model, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = chunkBase(id, created, model);
        chunk.put("choices", List.of(choice));
        return chunk;
    }

    private static Map<String, Object> chunkBase(String id, long created, String model) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private void embeddings(Context ctx) {
        EmbeddingsBody body = Json.readRequest(ctx.body(), EmbeddingsBody.class);
        Embedder embedder = inference.router().embedding(body.model());
        List<float[]> vectors = embedder.embed(Inputs.texts(body.input(), "input"));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            data.add(Map.of("object", "embedding", "index", i, "embedding", vectors.get(i)));
        }
        ctx.json(Map.of("object", "list", "data", data, "model", embedder.id()));
    }
}
