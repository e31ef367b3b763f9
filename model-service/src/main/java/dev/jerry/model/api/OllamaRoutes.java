package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import dev.jerry.model.inference.ModelRouter;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.ollama.ChatChunk;
import dev.jerry.ollama.CopyRequest;
import dev.jerry.ollama.EmbedRequest;
import dev.jerry.ollama.EmbedResponse;
import dev.jerry.ollama.ErrorResponse;
import dev.jerry.ollama.LegacyEmbeddingRequest;
import dev.jerry.ollama.LegacyEmbeddingResponse;
import dev.jerry.ollama.Message;
import dev.jerry.ollama.ModelDetails;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.ModelRequest;
import dev.jerry.ollama.Options;
import dev.jerry.ollama.PullProgress;
import dev.jerry.ollama.ToolCall;
import dev.jerry.ollama.VersionResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
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
    /** Every chat model here can call tools: each backend either supports them or has them enforced by a grammar. */
    private static final List<String> CHAT_CAPABILITIES = List.of("completion", "tools");

    record ChatBody(
            String model, List<JsonNode> messages, Options options, Boolean stream, JsonNode tools, JsonNode format) {}

    record GenerateBody(String model, String prompt, String system, Options options, Boolean stream, JsonNode format) {}

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
                                    true)
                            .withFormat(ResponseFormats.ollama(body.format())),
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
                    new Inference.Ask(body.model(), messages, o.numPredict(), o.temperature(), o.seed())
                            .withFormat(ResponseFormats.ollama(body.format())),
                    body.stream(),
                    true);
        });
        routes.post("/api/embed", this::embed);
        routes.post("/api/embeddings", this::legacyEmbedding);
        routes.get("/api/tags", ctx -> ctx.json(new ModelList(tags())));
        routes.get("/api/ps", ctx -> ctx.json(new ModelList(running())));
        routes.post("/api/show", this::show);
        routes.post("/api/pull", this::pull);
        routes.delete("/api/delete", this::delete);
        routes.post("/api/copy", this::copy);
        routes.get("/api/version", ctx -> ctx.json(new VersionResponse(API_VERSION)));
        routes.after("/api/*", OllamaErrors::reshape);
    }

    private static Options options(Options options) {
        return options == null ? Options.NONE : options;
    }

    private void respond(Context ctx, Inference.Ask request, Boolean stream, boolean generate) throws IOException {
        Inference.Ask ask = request.withCache(CacheHeader.allows(ctx)).withUser(Queueing.user(ctx));
        if (!Boolean.FALSE.equals(stream)) {
            String name = inference.router().chat(ask.model()).model(); // unknown model: 404 before the stream
            StreamWriter out = StreamWriter.ndjson(ctx);
            TokenSink sink = text -> out.line(
                    generate
                            ? ChatChunk.piece(tagged(name), now(), null, text)
                            : ChatChunk.piece(tagged(name), now(), Message.of("assistant", text), null));
            try {
                Inference.Outcome outcome = inference.chat(
                        ask,
                        sink,
                        (position, eta) -> out.line(new ChatChunk(
                                tagged(name),
                                now(),
                                Message.of("assistant", ""),
                                null,
                                false,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                position,
                                eta.toMillis())));
                Generation g = outcome.generation();
                if (!g.toolCalls().isEmpty()) {
                    out.line(ChatChunk.piece(
                            tagged(name),
                            now(),
                            new Message("assistant", "", Messages.ollamaCalls(g.toolCalls()), null),
                            null));
                }
                out.line(
                        generate
                                ? last(name, null, "", g, outcome)
                                : last(name, Message.of("assistant", ""), null, g, outcome));
            } catch (ClientGoneException e) {
                log.info("client left during a streamed {}; generation cancelled", generate ? "generate" : "chat");
            } catch (RuntimeException e) {
                log.warn("streamed Ollama request failed: {}", e.getMessage());
                out.line(new ErrorResponse(ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx))
                        .error()
                        .message()));
            }
            return;
        }
        Inference.Outcome outcome = inference.chat(ask, TokenSink.NONE, Queueing.headers(ctx));
        Generation g = outcome.generation();
        List<ToolCall> calls = g.toolCalls().isEmpty() ? null : Messages.ollamaCalls(g.toolCalls());
        ctx.json(
                generate
                        ? last(outcome.model(), null, g.text(), g, outcome)
                        : last(outcome.model(), new Message("assistant", g.text(), calls, null), null, g, outcome));
    }

    private static String now() {
        return Instant.now().toString();
    }

    /** The line that ends an answer: the reason, the counts and the durations in nanoseconds. */
    private static ChatChunk last(
            String model, Message message, String response, Generation g, Inference.Outcome outcome) {
        return new ChatChunk(
                tagged(model),
                now(),
                message,
                response,
                true,
                g.finishReason(),
                g.totalNanos(),
                0L,
                g.promptTokens(),
                g.timeToFirstTokenNanos(),
                g.completionTokens(),
                g.totalNanos() - g.timeToFirstTokenNanos(),
                outcome.cached(),
                outcome.similarity(),
                null,
                null);
    }

    private void embed(Context ctx) {
        EmbedRequest body = Json.readRequest(ctx.body(), EmbedRequest.class);
        Embedder embedder = inference.router().embedding(body.model());
        List<String> inputs = Inputs.texts(body.input(), "input");
        long start = System.nanoTime();
        List<float[]> vectors = embedder.embed(inputs);
        ctx.json(new EmbedResponse(tagged(embedder.id()), vectors, System.nanoTime() - start));
    }

    private void legacyEmbedding(Context ctx) {
        LegacyEmbeddingRequest body = Json.readRequest(ctx.body(), LegacyEmbeddingRequest.class);
        if (body.prompt() == null) {
            throw new BadRequestResponse("field 'prompt' is required");
        }
        Embedder embedder = inference.router().embedding(body.model());
        ctx.json(new LegacyEmbeddingResponse(
                embedder.embed(List.of(body.prompt())).getFirst()));
    }

    /** Every model with its file's size, digest and time where the backend knows them. */
    private List<ModelEntry> tags() {
        List<ModelEntry> models = new ArrayList<>();
        for (Backend backend : inference.router().backends()) {
            List<ModelFile> files = backend.files();
            for (String model : backend.describe().models()) {
                ModelFile file = files.stream()
                        .filter(f -> ModelName.of(model).matches(f.name()))
                        .findFirst()
                        .orElse(null);
                models.add(entry(model, file, "gguf", CHAT_CAPABILITIES));
            }
        }
        Embedder embedder = inference.router().embedder();
        models.add(entry(
                embedder.id(),
                embedder.file().orElse(null),
                embedder.file().isPresent() ? "onnx" : "gguf",
                List.of("embedding")));
        return models;
    }

    /**
     * A model without a known file (an OpenAI-compatible server's) is listed with size 0, no time and a digest of its
     * name, so that clients that show a digest's first characters still tell models apart.
     */
    private static ModelEntry entry(String model, ModelFile file, String format, List<String> capabilities) {
        if (file == null) {
            return ModelEntry.onDisk(model, null, 0, Sha256.hex(model), null, capabilities);
        }
        return ModelEntry.onDisk(
                model,
                file.modifiedAt() == null ? null : file.modifiedAt().toString(),
                file.size(),
                file.digest(),
                details(file, format),
                capabilities);
    }

    private static ModelDetails details(ModelFile file, String format) {
        String family = file.family() == null ? "llama" : file.family();
        return new ModelDetails("", format, family, List.of(family), file.parameterSize(), file.quantization());
    }

    /** What is loaded where: the in-process model for the life of the process, and each Ollama node's {@code ps}. */
    private List<ModelEntry> running() {
        List<ModelEntry> models = new ArrayList<>();
        for (Backend backend : inference.router().backends()) {
            for (ModelFile file : backend.loaded()) {
                String tagged = ModelName.tagged(file.name());
                models.add(new ModelEntry(
                        tagged,
                        tagged,
                        null,
                        file.size(),
                        file.digest(),
                        details(file, "gguf"),
                        file.expiresAt() == null ? null : file.expiresAt().toString(),
                        file.sizeVram(),
                        null));
            }
        }
        return models;
    }

    /** Deletes a model from the Ollama node that holds it; models of this process or of an OpenAI server cannot be. */
    private void delete(Context ctx) {
        String model = requested(Json.readRequest(ctx.body(), ModelRequest.class));
        holder(model, "deleted").delete(model);
        ctx.status(200);
    }

    /** Copies a model on the Ollama node that holds it. */
    private void copy(Context ctx) {
        CopyRequest body = Json.readRequest(ctx.body(), CopyRequest.class);
        if (body.source() == null || body.destination() == null) {
            throw new BadRequestResponse("fields 'source' and 'destination' are required");
        }
        holder(body.source(), "copied").copy(body.source(), body.destination());
        ctx.status(200);
    }

    /** The Ollama node that has {@code model}, or a 404 (no such model) or 400 (a model that is not on a node). */
    private OllamaBackend holder(String model, String what) {
        ModelRouter router = inference.router();
        String name = ModelRouter.normalize(model);
        if (name.equals(router.embedder().id()) && router.embedder().file().isPresent()) {
            throw new BadRequestResponse("model '" + name
                    + "' is the embedding model inside model-service; it cannot be " + what + " through the API");
        }
        for (Backend backend : router.backends()) {
            if (backend.serves(name)) {
                if (backend instanceof OllamaBackend node) {
                    return node;
                }
                throw new BadRequestResponse("model '" + name + "' is served by "
                        + backend.describe().name()
                        + ", not by an Ollama node; it cannot be " + what + " through the API (change "
                        + "model-service's configuration instead)");
            }
        }
        throw new NotFoundResponse("model '" + model + "' not found");
    }

    private static String requested(ModelRequest body) {
        if (body.requested() == null || body.requested().isBlank()) {
            throw new BadRequestResponse("field 'model' is required");
        }
        return body.requested();
    }

    private void show(Context ctx) {
        String requested = requested(Json.readRequest(ctx.body(), ModelRequest.class));
        ModelRouter router = inference.router();
        Map<String, Object> info = new LinkedHashMap<>();
        List<String> capabilities;
        ModelFile file;
        String format = "gguf";
        if (ModelRouter.normalize(requested).equals(router.embedder().id())) {
            file = router.embedder().file().orElse(null);
            format = file == null ? format : "onnx";
            info.put("general.architecture", "bert");
            info.put("bert.embedding_length", router.embedder().dimension());
            capabilities = List.of("embedding");
        } else {
            ModelRouter.Route route = router.chat(requested);
            Backend backend = route.backend();
            file = backend.files().stream()
                    .filter(f -> ModelName.of(route.model()).matches(f.name()))
                    .findFirst()
                    .orElse(null);
            String family = file == null || file.family() == null ? "llama" : file.family();
            info.put("general.architecture", family);
            info.put(family + ".context_length", backend.describe().contextTokens());
            capabilities = CHAT_CAPABILITIES;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("modelfile", "");
        response.put("parameters", "");
        response.put("template", "");
        response.put(
                "details",
                file == null
                        ? ModelDetails.gguf(String.valueOf(info.get("general.architecture")), null, null)
                        : details(file, format));
        response.put("model_info", info);
        response.put("capabilities", capabilities);
        if (file != null && file.modifiedAt() != null) {
            response.put("modified_at", file.modifiedAt().toString());
        }
        ctx.json(response);
    }

    /**
     * A model an Ollama node lacks is pulled there: streamed, the node's progress is relayed until it ends; with
     * {@code stream: false} the answer comes at once (the pull goes on), 200 when the model is there and 503 with the
     * progress and {@code Retry-After} while it downloads, so a caller polls instead of holding a request open for the
     * length of a download. The other models here are present or not served at all: their pull succeeds at once.
     */
    private void pull(Context ctx) throws IOException {
        ModelRequest body = Json.readRequest(ctx.body(), ModelRequest.class);
        String requested = requested(body);
        boolean stream = !Boolean.FALSE.equals(body.stream());
        if (!ModelRouter.normalize(requested)
                .equals(inference.router().embedder().id())) {
            ModelRouter.Route route = inference.router().chat(requested);
            if (stream && route.backend() instanceof OllamaBackend node && !node.serves(route.model())) {
                StreamWriter out = StreamWriter.ndjson(ctx);
                node.pull(route.model(), out::line);
                return;
            }
            // on an Ollama node that lacks it, this starts the download and answers 503 with its progress
            route.backend().provide(route.model());
        }
        if (!stream) {
            ctx.json(PullProgress.status(PullProgress.SUCCESS));
            return;
        }
        StreamWriter out = StreamWriter.ndjson(ctx);
        out.line(PullProgress.status("pulling manifest"));
        out.line(PullProgress.status(PullProgress.SUCCESS));
    }

    static String tagged(String model) {
        return ModelName.tagged(model);
    }
}
