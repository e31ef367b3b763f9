package dev.jerry.model.embedding;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.util.Optional;

/**
 * Where embeddings come from.
 *
 * @param source {@code JERRY_EMBEDDING_BACKEND}: {@code in-process} (bge-small-en-v1.5, the default), {@code ollama}
 *     (the first {@code JERRY_OLLAMA_URL} node) or {@code openai} ({@code JERRY_OPENAI_URL})
 * @param model {@code JERRY_EMBEDDING_MODEL}: the backend's embedding model, required unless in-process
 */
public record EmbeddingConfig(Source source, Optional<String> model) {
    public enum Source {
        IN_PROCESS,
        OLLAMA,
        OPENAI
    }

    public static final String BACKEND = "JERRY_EMBEDDING_BACKEND";
    public static final String MODEL = "JERRY_EMBEDDING_MODEL";

    public EmbeddingConfig {
        if (source != Source.IN_PROCESS && model.isEmpty()) {
            throw new ConfigException(
                    MODEL,
                    "must name the embedding model when " + BACKEND + " is "
                            + source.name().toLowerCase(java.util.Locale.ROOT) + " (e.g. nomic-embed-text)");
        }
    }

    public static EmbeddingConfig inProcess() {
        return new EmbeddingConfig(Source.IN_PROCESS, Optional.empty());
    }

    public static EmbeddingConfig fromEnv(Env env) {
        return new EmbeddingConfig(env.enumValue(BACKEND, Source.class, Source.IN_PROCESS), env.get(MODEL));
    }
}
