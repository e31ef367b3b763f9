package dev.jerry.knowledge;

import io.javalin.http.HttpResponseException;

/** A collection built with another embedding model or dimension: searching or adding to it would be garbage. */
public final class EmbeddingMismatchException extends HttpResponseException {
    public EmbeddingMismatchException(String message) {
        super(409, message);
    }
}
