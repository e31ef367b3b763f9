package dev.jerry.model.download;

import dev.jerry.kit.error.ServiceException;

/** Not enough free disk for a model download: answered as 507. */
public final class InsufficientStorageException extends ServiceException.InsufficientStorage {
    public InsufficientStorageException(String message) {
        super(message);
    }
}
