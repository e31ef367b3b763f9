package dev.jerry.model.api;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import dev.jerry.model.inference.ModelRouter;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.ollama.CopyRequest;
import dev.jerry.ollama.ModelDetails;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.ModelRequest;
import dev.jerry.ollama.PullProgress;
import dev.jerry.ollama.VersionResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Ollama API's model management: {@code /api/tags}, {@code /api/show}, {@code /api/ps}, {@code /api/pull},
 * {@code /api/delete}, {@code /api/copy}, {@code /api/version}. Sizes, digests and times come from each backend's
 * files; pulls, deletes and copies go to the Ollama node that holds (or will hold) the model.
 */
public final class OllamaModelRoutes implements Feature {
    /** The Ollama API version these routes follow, for clients that check it. */
    public static final String API_VERSION = "0.6.5";
    /** Every chat model here can call tools: each backend either supports them or has them enforced by a grammar. */
    private static final List<String> CHAT_CAPABILITIES = List.of("completion", "tools");

    private final Inference inference;

    public OllamaModelRoutes(Inference inference) {
        this.inference = inference;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/tags", ctx -> ctx.json(new ModelList(tags())));
        routes.get("/api/ps", ctx -> ctx.json(new ModelList(running())));
        routes.post("/api/show", this::show);
        routes.post("/api/pull", this::pull);
        routes.delete("/api/delete", this::delete);
        routes.post("/api/copy", this::copy);
        routes.get("/api/version", ctx -> ctx.json(new VersionResponse(API_VERSION)));
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
            capabilities = backend.capabilities(route.model());
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
}
