package dev.jerry.model.download;

/** A model download failed for a reason other than disk space: network, server, checksum. */
public final class DownloadException extends RuntimeException {
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
