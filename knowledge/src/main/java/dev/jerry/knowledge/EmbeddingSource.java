package dev.jerry.knowledge;

import java.util.List;

/** Turns texts into vectors; a collection is bound to one source's model and dimension. */
public interface EmbeddingSource {
    /** The model's name, recorded in the collection's metadata. */
    String id();

    int dimension();

    List<float[]> embed(List<String> texts);
}
