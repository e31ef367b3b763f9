package dev.jerry.model.embedding;

import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.natives.NativeLibraries;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import java.util.Map;

/**
 * Text embeddings. By default the quantized {@code bge-small-en-v1.5} ONNX model that ships inside its jar: runs in
 * this process, needs no download, 384 dimensions. Or a backend's model ({@link RemoteEmbeddingModel}), whose
 * dimension is learned on first use so that a backend still starting does not stop this service from starting.
 */
public final class Embedder {
    public static final String BGE_SMALL = "bge-small-en-v1.5";

    private final EmbeddingModel model;
    private final String id;
    private volatile int dimension;

    public Embedder(EmbeddingModel model, String id) {
        this.model = model;
        this.id = id;
    }

    public static Embedder bgeSmall() {
        return new Embedder(
                NativeLibraries.loadExclusively(BGE_SMALL, BgeSmallEnV15QuantizedEmbeddingModel::new), BGE_SMALL);
    }

    public String id() {
        return id;
    }

    public int dimension() {
        if (dimension == 0) {
            dimension = model.dimension();
        }
        return dimension;
    }

    public List<float[]> embed(List<String> inputs) {
        List<TextSegment> segments = inputs.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream()
                .map(Embedding::vector)
                .toList();
    }

    public HealthCheck.Result probe() {
        long start = System.nanoTime();
        int length = embed(List.of("health probe")).getFirst().length;
        if (length != dimension()) {
            return HealthCheck.Result.down("probe embedding has " + length + " dimensions, expected " + dimension());
        }
        return HealthCheck.Result.up(
                Map.of("model", id, "dimension", length, "probe_ms", (System.nanoTime() - start) / 1_000_000));
    }
}
