package dev.jerry.kit.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A request that cannot be served, said in the service's own terms: core code (routers, backends, stores, the CLI)
 * throws these, and only {@link dev.jerry.kit.http.ServiceApp} maps each kind to an HTTP status and error body.
 * Failures of a dependency are {@link dev.jerry.kit.client.UpstreamException}s instead.
 */
public abstract sealed class ServiceException extends RuntimeException
        permits ServiceException.BadInput,
                ServiceException.Forbidden,
                ServiceException.NotFound,
                ServiceException.Conflict,
                ServiceException.TooLarge,
                ServiceException.TooBusy,
                ServiceException.Unavailable,
                ServiceException.InsufficientStorage {

    private ServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The HTTP status the edge answers with. */
    public abstract int status();

    /** The {@code type} of Jerry's JSON error body. */
    public abstract String type();

    /** The request field at fault, when one is (OpenAI's error {@code param}). */
    public Optional<String> field() {
        return Optional.empty();
    }

    /** When trying again may work. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** The request is wrong: a field is missing, malformed or out of range. 400. */
    public static non-sealed class BadInput extends ServiceException {
        private final String field;

        /** @param field the offending field as the client wrote it ({@code messages[2].content}), or null */
        public BadInput(String field, String message) {
            super(message, null);
            this.field = field;
        }

        public BadInput(String message) {
            this(null, message);
        }

        @Override
        public int status() {
            return 400;
        }

        @Override
        public String type() {
            return "bad_request";
        }

        @Override
        public Optional<String> field() {
            return Optional.ofNullable(field);
        }
    }

    /** The caller may not do this (write into another user's conversation...). 403. */
    public static non-sealed class Forbidden extends ServiceException {
        public Forbidden(String message) {
            super(message, null);
        }

        @Override
        public int status() {
            return 403;
        }

        @Override
        public String type() {
            return "forbidden";
        }
    }

    /** What the request names does not exist. 404. */
    public static non-sealed class NotFound extends ServiceException {
        public NotFound(String message) {
            super(message, null);
        }

        @Override
        public int status() {
            return 404;
        }

        @Override
        public String type() {
            return "not_found";
        }
    }

    /** The request contradicts what exists (another embedding model for a collection...). 409. */
    public static non-sealed class Conflict extends ServiceException {
        public Conflict(String message) {
            super(message, null);
        }

        @Override
        public int status() {
            return 409;
        }

        @Override
        public String type() {
            return "conflict";
        }
    }

    /** The request is over a size limit (body, inputs, characters, context). 413. */
    public static non-sealed class TooLarge extends ServiceException {
        private final String field;

        public TooLarge(String field, String message) {
            super(message, null);
            this.field = field;
        }

        @Override
        public int status() {
            return 413;
        }

        @Override
        public String type() {
            return "payload_too_large";
        }

        @Override
        public Optional<String> field() {
            return Optional.ofNullable(field);
        }
    }

    /** Over a queue or a quota; come back after {@code retryAfter}. 429 with {@code Retry-After}. */
    public static non-sealed class TooBusy extends ServiceException {
        private final Duration retryAfter;

        public TooBusy(String message, Duration retryAfter) {
            super(message, null);
            this.retryAfter = retryAfter;
        }

        @Override
        public int status() {
            return 429;
        }

        @Override
        public String type() {
            return "rate_limited";
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(retryAfter);
        }
    }

    /** This service cannot serve the request now (nothing configured, still starting). 503. */
    public static non-sealed class Unavailable extends ServiceException {
        private final Duration retryAfter;

        public Unavailable(String message, Duration retryAfter) {
            super(message, null);
            this.retryAfter = retryAfter;
        }

        public Unavailable(String message) {
            this(message, null);
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String type() {
            return "unavailable";
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** Not enough disk for what was asked (a model download). 507. */
    public static non-sealed class InsufficientStorage extends ServiceException {
        public InsufficientStorage(String message) {
            super(message, null);
        }

        @Override
        public int status() {
            return 507;
        }

        @Override
        public String type() {
            return "insufficient_storage";
        }
    }
}
