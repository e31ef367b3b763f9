package dev.jerry.knowledge;

import dev.jerry.kit.api.CollectionNames;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.net.URI;
import java.util.Locale;

/**
 * Where the knowledge base lives and how it is embedded; rag-service and the ingestion job must agree on both.
 *
 * @param chromaUrl {@code JERRY_CHROMA_URL}: the Chroma server, v2 API
 * @param collection {@code JERRY_COLLECTION}: the collection used when none is named
 * @param embeddings {@code JERRY_EMBEDDINGS}: {@code in-process} (bge-small-en-v1.5) or {@code model-service}
 * @param modelService model-service, for {@code JERRY_EMBEDDINGS=model-service}
 */
public record KnowledgeConfig(URI chromaUrl, String collection, Embeddings embeddings, UpstreamConfig modelService) {
    public static final URI DEFAULT_CHROMA_URL = URI.create("http://127.0.0.1:8000");
    public static final String DEFAULT_COLLECTION = "jerry";
    public static final String COLLECTION = "JERRY_COLLECTION";

    public enum Embeddings {
        IN_PROCESS,
        MODEL_SERVICE
    }

    public KnowledgeConfig {
        collection = checkCollection(collection, COLLECTION);
    }

    /**
     * Chroma's rule for names: 3-63 characters of letters, digits, '.', '_', '-', starting and ending alphanumeric; and
     * not an attachments' collection ({@link CollectionNames#ATTACHMENTS_PREFIX}), which only agent-service reaches.
     */
    public static String checkCollection(String name, String variable) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]") || FileLedger.isLedger(name)) {
            throw new ConfigException(
                    variable,
                    "must be 3-63 letters, digits, '.', '_' or '-', starting and ending "
                            + "with a letter or digit (and not ending in " + FileLedger.SUFFIX + ", "
                            + FileLedger.MIGRATING_SUFFIX
                            + " or " + FileLedger.LEGACY_SUFFIX + "), got '"
                            + name + "'");
        }
        if (CollectionNames.reserved(name)) {
            throw new ConfigException(variable, CollectionNames.reservedReason(name));
        }
        return name.toLowerCase(Locale.ROOT);
    }

    public static KnowledgeConfig fromEnv(Env env) {
        return new KnowledgeConfig(
                env.url("JERRY_CHROMA_URL").orElse(DEFAULT_CHROMA_URL),
                env.string(COLLECTION, DEFAULT_COLLECTION),
                env.enumValue("JERRY_EMBEDDINGS", Embeddings.class, Embeddings.IN_PROCESS),
                UpstreamConfig.fromEnv(env, "MODEL_SERVICE", "model-service", URI.create("http://127.0.0.1:8081")));
    }

    public EmbeddingSource embeddingSource(ServiceMetrics metrics) {
        return switch (embeddings) {
            case IN_PROCESS -> new InProcessEmbeddings();
            case MODEL_SERVICE -> new ModelServiceEmbeddings(modelService.client(ClientOptions.defaults(), metrics));
        };
    }
}
