package dev.jerry.knowledge;

import dev.jerry.kit.error.ServiceException;

/** A collection built with another embedding model or dimension: searching or adding to it would be garbage. */
public final class EmbeddingMismatchException extends ServiceException.Conflict {
    public EmbeddingMismatchException(String message) {
        super(message);
    }
}
