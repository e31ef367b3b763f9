package dev.jerry.knowledge;

import dev.jerry.kit.natives.NativeLibraries;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;

/** bge-small-en-v1.5 (quantized ONNX, 384 dimensions) in this process: the same model model-service uses by default. */
public final class InProcessEmbeddings implements EmbeddingSource {
    public static final String ID = "bge-small-en-v1.5";

    private final EmbeddingModel model = NativeLibraries.loadExclusively(ID, BgeSmallEnV15QuantizedEmbeddingModel::new);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector)
                .toList();
    }
}
