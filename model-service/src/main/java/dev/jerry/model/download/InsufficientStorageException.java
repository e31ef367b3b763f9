package dev.jerry.model.download;

import io.javalin.http.HttpResponseException;

/** Not enough free disk for a model download: answered as 507. */
public final class InsufficientStorageException extends HttpResponseException {
    public InsufficientStorageException(String message) {
        super(507, message);
    }
}
