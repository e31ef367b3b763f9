package dev.jerry.knowledge;

import java.util.List;
import java.util.Locale;

/** Turns texts into vectors; a collection is bound to one source's model and dimension. */
public interface EmbeddingSource {
    /** What bge-*-en-v1.5's model card asks to put before a short search query (never before passages). */
    String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /** The model's name, recorded in the collection's metadata. */
    String id();

    int dimension();

    List<float[]> embed(List<String> texts);

    /**
     * The text to put before a search query so the model embeds it as a query (asymmetric retrieval), as its model
     * card says; empty for models that embed queries and passages alike.
     */
    default String queryInstruction() {
        return queryInstruction(id());
    }

    static String queryInstruction(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        return name.startsWith("bge-") && name.contains("-en") ? BGE_QUERY_INSTRUCTION : "";
    }
}
