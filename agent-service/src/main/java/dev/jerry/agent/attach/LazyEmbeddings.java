package dev.jerry.agent.attach;

import dev.jerry.knowledge.EmbeddingSource;
import java.util.List;
import java.util.function.Supplier;

/**
 * An embedding source made when first used: the in-process model takes a second and ~100 MB to load, which an
 * agent-service that never gets an attachment should not pay.
 */
final class LazyEmbeddings implements EmbeddingSource {
    private final Supplier<EmbeddingSource> factory;
    private EmbeddingSource source;

    LazyEmbeddings(Supplier<EmbeddingSource> factory) {
        this.factory = factory;
    }

    private synchronized EmbeddingSource source() {
        if (source == null) {
            source = factory.get();
        }
        return source;
    }

    @Override
    public String id() {
        return source().id();
    }

    @Override
    public int dimension() {
        return source().dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return source().embed(texts);
    }
}
