package dev.jerry.model.backend;

import dev.jerry.kit.health.HealthCheck;
import java.util.List;

/** One place inference runs: llama.cpp in this process, an Ollama node, an OpenAI-compatible server. */
public interface Backend {
    ModelService describe();

    /** Whether the backend has {@code model} and can answer with it now. */
    default boolean serves(String model) {
        return describe().models().contains(model);
    }

    /** Whether the backend could get {@code model} (download it) when asked for it; the request then waits or 503s. */
    default boolean canProvide(String model) {
        return false;
    }

    /**
     * Makes sure the backend has {@code model}: returns once it is there, throws {@link dev.jerry.kit.client.UpstreamException.Busy}
     * with the download's progress while it is being fetched (starting the download if none runs), and
     * {@link dev.jerry.kit.error.ServiceException.NotFound} when it cannot be had. Backends that
     * cannot download models have what they serve.
     */
    default void provide(String model) {}

    /**
     * Refuses, before it queues, a request this backend can never serve (a prompt over the model's context). Cheap: it
     * runs for every request, also before a streamed answer starts.
     *
     * @throws dev.jerry.kit.error.ServiceException.BadInput naming the field at fault
     */
    default void admit(ChatRequest request) {}

    /**
     * Generates an answer, handing each piece of text to {@code sink} as it is produced.
     *
     * @throws ClientGoneException when the sink reports that the client left; the generation is cancelled
     * @throws dev.jerry.kit.error.ServiceException.BadInput when the request cannot fit the model (prompt over the
     *     context)
     * @throws dev.jerry.kit.client.UpstreamException when the backend fails
     */
    Generation chat(ChatRequest request, TokenSink sink);

    /** The files of the models it has (size, digest, modification time), as far as it knows them. */
    default List<ModelFile> files() {
        return List.of();
    }

    /** The models loaded in memory now, ready to answer without a load. */
    default List<ModelFile> loaded() {
        return List.of();
    }

    /**
     * What {@code model} can do, named as Ollama's {@code /api/show} names it: {@code completion} and {@code tools} for
     * every chat model here (a backend without native tool calls has them enforced by a grammar), and {@code vision}
     * for a model that reads images.
     */
    default List<String> capabilities(String model) {
        return List.of("completion", "tools");
    }

    /** Whether {@code model} can be sent images; a request with images to any other model is refused. */
    default boolean readsImages(String model) {
        return capabilities(model).contains("vision");
    }

    /** A short real generation: proves the backend can generate, not just that it is up. */
    HealthCheck.Result probe();
}
