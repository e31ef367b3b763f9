package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import dev.jerry.model.inference.ModelRouter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
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
 * The Ollama API (the parts Ollama clients use): {@code /api/chat}, {@code /api/generate}, {@code /api/embed},
 * {@code /api/tags}, {@code /api/show}, {@code /api/pull}, {@code /api/version}. Streams are NDJSON; as in Ollama,
 * {@code stream} defaults to true, and a failure mid-stream ends it with an {@code {"error": ...}} line.
 */
public final class OllamaRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(OllamaRoutes.class);
    /** The Ollama API version these routes follow, for clients that check it. */
    public static final String API_VERSION = "0.6.5";

    record Options(Double temperature, Long seed, Integer numPredict, Double topP, Integer topK) {}

    record ChatBody(String model, List<JsonNode> messages, Options options, Boolean stream, JsonNode tools) {}

    record GenerateBody(String model, String prompt, String system, Options options, Boolean stream) {}

    record EmbedBody(String model, JsonNode input) {}

    record ModelBody(String model, String name, Boolean stream) {}

    record OutMessage(String role, String content, List<Map<String, Object>> toolCalls) {
        OutMessage(String content) {
            this("assistant", content, null);
        }
    }

    record ChatChunk(
            String model,
            String createdAt,
            OutMessage message,
            String response,
            boolean done,
            String doneReason,
            Long totalDuration,
            Long loadDuration,
            Integer promptEvalCount,
            Long promptEvalDuration,
            Integer evalCount,
            Long evalDuration,
            Boolean cached,
            Double cacheSimilarity) {}

    private final Inference inference;

    public OllamaRoutes(Inference inference) {
        this.inference = inference;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/api/chat", ctx -> {
            ChatBody body = Json.readRequest(ctx.body(), ChatBody.class);
            Options o = options(body.options());
            respond(
                    ctx,
                    new Inference.Ask(
                            body.model(),
                            Messages.parse(body.messages()),
                            o.numPredict(),
                            o.temperature(),
                            o.seed(),
                            Messages.tools(body.tools()),
                            ToolChoice.AUTO,
                            true),
                    body.stream(),
                    false);
        });
        routes.post("/api/generate", ctx -> {
            GenerateBody body = Json.readRequest(ctx.body(), GenerateBody.class);
            if (body.prompt() == null) {
                throw new BadRequestResponse("field 'prompt' is required");
            }
            List<ChatMessage> messages = new ArrayList<>();
            if (body.system() != null && !body.system().isBlank()) {
                messages.add(ChatMessage.system(body.system()));
            }
            messages.add(ChatMessage.user(body.prompt()));
            Options o = options(body.options());
            respond(
                    ctx,
                    new Inference.Ask(body.model(), messages, o.numPredict(), o.temperature(), o.seed()),
                    body.stream(),
                    true);
        });
        routes.post("/api/embed", this::embed);
        routes.get("/api/tags", ctx -> ctx.json(Map.of("models", tags())));
        routes.post("/api/show", this::show);
        routes.post("/api/pull", this::pull);
        routes.get("/api/version", ctx -> ctx.json(Map.of("version", API_VERSION)));
    }

    private static Options options(Options options) {
        if (options == null) {
            return new Options(null, null, null, null, null);
        }
        // Ollama's num_predict -1 (no limit) and -2 (fill the context) mean the service's default here
        Integer numPredict = options.numPredict();
        return numPredict != null && (numPredict == -1 || numPredict == -2)
                ? new Options(options.temperature(), options.seed(), null, options.topP(), options.topK())
                : options;
    }

    private void respond(Context ctx, Inference.Ask request, Boolean stream, boolean generate) throws IOException {
        Inference.Ask ask = request.withCache(CacheHeader.allows(ctx)).withUser(Queueing.user(ctx));
        if (!Boolean.FALSE.equals(stream)) {
            String name = inference.admit(ask).model(); // unknown model, too long, queue full: before the stream
            StreamWriter out = StreamWriter.ndjson(ctx);
            TokenSink sink = text -> out.line(
                    generate
                            ? chunk(name, null, text, false, null, null)
                            : chunk(name, new OutMessage(text), null, false, null, null));
            try {
                Inference.Outcome outcome = inference.chat(
                        ask,
                        sink,
                        (position, eta) -> out.line(Map.of(
                                "model",
                                tagged(name),
                                "created_at",
                                Instant.now().toString(),
                                "message",
                                Map.of("role", "assistant", "content", ""),
                                "done",
                                false,
                                "queue_position",
                                position,
                                "queue_eta_ms",
                                eta.toMillis())));
                Generation g = outcome.generation();
                if (!g.toolCalls().isEmpty()) {
                    out.line(chunk(
                            name,
                            new OutMessage("assistant", "", Messages.ollamaCalls(g.toolCalls())),
                            null,
                            false,
                            null,
                            null));
                }
                out.line(
                        generate
                                ? chunk(name, null, "", true, g.finishReason(), g, outcome)
                                : chunk(name, new OutMessage(""), null, true, g.finishReason(), g, outcome));
            } catch (ClientGoneException e) {
                log.info("client left during a streamed {}; generation cancelled", generate ? "generate" : "chat");
            } catch (RuntimeException e) {
                log.warn("streamed Ollama request failed: {}", e.getMessage());
                out.line(Map.of(
                        "error",
                        ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx))
                                .error()
                                .message()));
            }
            return;
        }
        Inference.Outcome outcome = inference.chat(ask, TokenSink.NONE, Queueing.headers(ctx));
        CacheHeader.report(ctx, outcome);
        Generation g = outcome.generation();
        List<Map<String, Object>> calls = g.toolCalls().isEmpty() ? null : Messages.ollamaCalls(g.toolCalls());
        ctx.json(
                generate
                        ? chunk(outcome.model(), null, g.text(), true, g.finishReason(), g, outcome)
                        : chunk(
                                outcome.model(),
                                new OutMessage("assistant", g.text(), calls),
                                null,
                                true,
                                g.finishReason(),
                                g,
                                outcome));
    }

    private static ChatChunk chunk(
            String model, OutMessage message, String response, boolean done, String doneReason, Generation g) {
        return chunk(model, message, response, done, doneReason, g, null);
    }

    private static ChatChunk chunk(
            String model,
            OutMessage message,
            String response,
            boolean done,
            String doneReason,
            Generation g,
            Inference.Outcome outcome) {
        return new ChatChunk(
                tagged(model),
                Instant.now().toString(),
                message,
                response,
                done,
                doneReason,
                g == null ? null : g.totalNanos(),
                g == null ? null : 0L,
                g == null ? null : g.promptTokens(),
                g == null ? null : g.timeToFirstTokenNanos(),
                g == null ? null : g.completionTokens(),
                g == null ? null : g.totalNanos() - g.timeToFirstTokenNanos(),
                outcome == null ? null : outcome.cached(),
                outcome == null ? null : outcome.similarity());
    }

    private void embed(Context ctx) {
        EmbedBody body = Json.readRequest(ctx.body(), EmbedBody.class);
        Embedder embedder = inference.router().embedding(body.model());
        List<String> inputs = Inputs.texts(body.input(), "input");
        long start = System.nanoTime();
        List<float[]> vectors = embedder.embed(inputs);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model", tagged(embedder.id()));
        response.put("embeddings", vectors);
        response.put("total_duration", System.nanoTime() - start);
        ctx.json(response);
    }

    private List<Map<String, Object>> tags() {
        List<Map<String, Object>> models = new ArrayList<>();
        for (Backend backend : inference.router().backends()) {
            for (String model : backend.describe().models()) {
                models.add(tag(model, "llama", List.of("completion")));
            }
        }
        models.add(tag(inference.router().embedder().id(), "bert", List.of("embedding")));
        return models;
    }

    private static Map<String, Object> tag(String model, String family, List<String> capabilities) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("format", "gguf");
        details.put("family", family);
        details.put("families", List.of(family));
        Map<String, Object> tag = new LinkedHashMap<>();
        tag.put("name", tagged(model));
        tag.put("model", tagged(model));
        tag.put("modified_at", Instant.EPOCH.toString());
        tag.put("size", 0);
        tag.put("digest", Integer.toHexString(model.hashCode()));
        tag.put("details", details);
        tag.put("capabilities", capabilities);
        return tag;
    }

    private void show(Context ctx) {
        ModelBody body = Json.readRequest(ctx.body(), ModelBody.class);
        String requested = body.model() != null ? body.model() : body.name();
        if (requested == null) {
            throw new BadRequestResponse("field 'model' is required");
        }
        ModelRouter router = inference.router();
        Map<String, Object> info = new LinkedHashMap<>();
        List<String> capabilities;
        if (ModelRouter.normalize(requested).equals(router.embedder().id())) {
            info.put("general.architecture", "bert");
            info.put("bert.embedding_length", router.embedder().dimension());
            capabilities = List.of("embedding");
        } else {
            Backend backend = router.chat(requested).backend();
            info.put("general.architecture", "llama");
            info.put("llama.context_length", backend.describe().contextTokens());
            capabilities = List.of("completion");
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("modelfile", "");
        response.put("parameters", "");
        response.put("template", "");
        response.put("details", Map.of("format", "gguf", "family", info.get("general.architecture")));
        response.put("model_info", info);
        response.put("capabilities", capabilities);
        ctx.json(response);
    }

    /** Models here are present or not served at all: a pull of a present model succeeds at once. */
    private void pull(Context ctx) throws IOException {
        ModelBody body = Json.readRequest(ctx.body(), ModelBody.class);
        String requested = body.model() != null ? body.model() : body.name();
        if (requested == null) {
            throw new BadRequestResponse("field 'model' is required");
        }
        if (!ModelRouter.normalize(requested)
                .equals(inference.router().embedder().id())) {
            // on an Ollama node that lacks it, this starts the download and answers 503 with its progress
            ModelRouter.Route route = inference.router().chat(requested);
            route.backend().provide(route.model());
        }
        if (Boolean.FALSE.equals(body.stream())) {
            ctx.json(Map.of("status", "success"));
            return;
        }
        StreamWriter out = StreamWriter.ndjson(ctx);
        out.line(Map.of("status", "pulling manifest"));
        out.line(Map.of("status", "success"));
    }

    static String tagged(String model) {
        return model.contains(":") ? model : model + ":latest";
    }
}
