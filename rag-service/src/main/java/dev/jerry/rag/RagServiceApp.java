package dev.jerry.rag;

import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.EmbeddingSource;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.Retriever;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of rag-service: everything is wired here with {@code new}. */
public final class RagServiceApp {
    private static final Logger log = LoggerFactory.getLogger(RagServiceApp.class);

    private RagServiceApp() {}

    public static ServiceApp create(RagServiceConfig config, ServiceMetrics metrics) {
        return create(config, metrics, config.knowledge().embeddingSource(metrics));
    }

    /** Builds the app around an embedding source that already exists (tests share one model per JVM). */
    public static ServiceApp create(RagServiceConfig config, ServiceMetrics metrics, EmbeddingSource embeddings) {
        ChromaClient chroma = new ChromaClient(config.knowledge().chromaUrl(), metrics);
        KnowledgeStore store = new KnowledgeStore(chroma, embeddings);
        var chromaCheck = HealthCheck.of("chroma", Duration.ofSeconds(1), () -> {
            chroma.heartbeat();
            return HealthCheck.Result.up(
                    Map.of("url", config.knowledge().chromaUrl().toString()));
        });
        var embeddingCheck = HealthCheck.of("embeddings", Duration.ofMillis(1400), () -> {
            int length = embeddings.embed(List.of("health probe")).getFirst().length;
            return HealthCheck.Result.up(Map.of("model", embeddings.id(), "dimension", length));
        });
        Retriever retriever = new Retriever(store);
        warmUp(retriever, config.knowledge().collection());
        return ServiceApp.create(
                config.server(),
                metrics,
                List.of(chromaCheck, embeddingCheck),
                List.of(new SearchRoutes(store, retriever, config.knowledge().collection(), metrics)));
    }

    /**
     * Derives the default collection's lexical index from Chroma in the background, so the first search does not pay
     * for it; if Chroma or the collection is not there yet, the first search builds it.
     */
    private static void warmUp(Retriever retriever, String collection) {
        Thread.ofVirtual().name("lexical-warm-up").start(() -> {
            try {
                retriever.lexical().current(collection);
            } catch (RuntimeException e) {
                log.info(
                        "lexical index of '{}' not built at start ({}); the first search builds it",
                        collection,
                        e.getMessage());
            }
        });
    }
}
