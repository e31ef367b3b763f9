package dev.jerry.model.backend;

import java.util.List;

/**
 * A configured backend as callers and {@code /health/ready} see it.
 *
 * @param name unique name, e.g. {@code llama.cpp}
 * @param kind where inference runs
 * @param models the chat models it serves
 * @param contextTokens the context window of its models, 0 when unknown
 */
public record ModelService(String name, Kind kind, List<String> models, int contextTokens) {
    public enum Kind {
        LLAMA_CPP,
        OLLAMA,
        OPENAI_COMPATIBLE
    }

    public ModelService {
        models = List.copyOf(models);
    }
}
