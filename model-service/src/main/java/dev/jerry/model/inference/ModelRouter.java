package dev.jerry.model.inference;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.ollama.ModelName;
import java.util.List;

/** Finds the backend that serves a requested model. Ollama-style names may carry a {@code :latest} tag. */
public final class ModelRouter {
    public static final String NO_MODEL =
            "no chat model is configured: set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an Ollama server";

    public record Route(Backend backend, String model) {}

    private final List<Backend> backends;
    private final Embedder embedder;

    public ModelRouter(List<Backend> backends, Embedder embedder) {
        this.backends = List.copyOf(backends);
        this.embedder = embedder;
    }

    public static String normalize(String model) {
        return ModelName.display(model);
    }

    /** The backend for {@code model}, or for the default model (the first one configured) when it is null. */
    public Route chat(String model) {
        if (backends.isEmpty()) {
            throw new ServiceException.Unavailable(NO_MODEL);
        }
        if (model == null || model.isBlank() || normalize(model).equals("default")) {
            Backend first = backends.getFirst();
            return new Route(first, first.describe().models().getFirst());
        }
        String name = normalize(model);
        for (Backend backend : backends) {
            if (backend.serves(name)) {
                return new Route(backend, name);
            }
        }
        for (Backend backend : backends) {
            if (backend.canProvide(name)) {
                return new Route(backend, name);
            }
        }
        if (name.equals(embedder.id())) {
            throw new ServiceException.BadInput(
                    "model", "'" + name + "' is an embedding model; chat models: " + String.join(", ", chatModels()));
        }
        throw notFound(model);
    }

    /** Checks that {@code model} (or the default when null) names the embedding model. */
    public Embedder embedding(String model) {
        if (model == null || model.isBlank() || normalize(model).equals(embedder.id())) {
            return embedder;
        }
        throw notFound(model);
    }

    public List<Backend> backends() {
        return backends;
    }

    public Embedder embedder() {
        return embedder;
    }

    public List<String> chatModels() {
        return backends.stream().flatMap(b -> b.describe().models().stream()).toList();
    }

    private ServiceException.NotFound notFound(String model) {
        var available = new java.util.ArrayList<>(chatModels());
        available.add(embedder.id());
        return new ServiceException.NotFound(
                "model '" + model + "' is not available; available models: " + String.join(", ", available));
    }
}
