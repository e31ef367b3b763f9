package dev.jerry.kit.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A dependency (another Jerry service, Chroma, Ollama, llama.cpp, Discord...) failed. Every failure of an upstream is
 * translated once into one of these four kinds; the app factory maps them to HTTP in one place.
 */
public abstract sealed class UpstreamException extends RuntimeException
        permits UpstreamException.Unavailable,
                UpstreamException.Timeout,
                UpstreamException.BadResponse,
                UpstreamException.Busy {
    private final String upstream;
    private final int httpStatus;
    private final String errorType;
    private final boolean retriable;

    private UpstreamException(
            String upstream, String message, Throwable cause, int httpStatus, String errorType, boolean retriable) {
        super(message, cause);
        this.upstream = upstream;
        this.httpStatus = httpStatus;
        this.errorType = errorType;
        this.retriable = retriable;
    }

    /** The name of what failed, e.g. {@code rag-service} or {@code chroma}. */
    public String upstream() {
        return upstream;
    }

    /** Whether trying again later can succeed without changing the request. */
    public boolean retriable() {
        return retriable;
    }

    /** The HTTP status this failure is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code type} of the JSON error body. */
    public String errorType() {
        return errorType;
    }

    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** Down, unreachable or not ready: 503. */
    public static final class Unavailable extends UpstreamException {
        /** The {@code type} of a failure that only a change of configuration can mend. */
        public static final String NOT_CONFIGURED = "not_configured";

        public Unavailable(String upstream, String message, Throwable cause) {
            super(upstream, message, cause, 503, "upstream_unavailable", true);
        }

        private Unavailable(String upstream, String message, Throwable cause, String errorType) {
            super(upstream, message, cause, 503, errorType, false);
        }

        /**
         * Cannot work until someone changes its configuration (no model to serve, a token refused): 503 with type
         * {@code not_configured}, never retried, and nobody should be told to try again later. The message says what
         * to set.
         */
        public static Unavailable notConfigured(String upstream, String message, Throwable cause) {
            return new Unavailable(upstream, message, cause, NOT_CONFIGURED);
        }

        /** Whether this is a {@link #notConfigured} failure. */
        public boolean isNotConfigured() {
            return NOT_CONFIGURED.equals(errorType());
        }
    }

    /** Did not answer in time: 504. Not retried: the work may still be running upstream. */
    public static final class Timeout extends UpstreamException {
        public Timeout(String upstream, String message, Throwable cause) {
            super(upstream, message, cause, 504, "upstream_timeout", false);
        }
    }

    /** Answered, but with an error or with something unreadable: 502. */
    public static final class BadResponse extends UpstreamException {
        private final int upstreamStatus;

        public BadResponse(String upstream, int upstreamStatus, String message, Throwable cause) {
            super(upstream, message, cause, 502, "upstream_error", false);
            this.upstreamStatus = upstreamStatus;
        }

        /** The status the upstream answered with; 0 when the body, not the status, was the problem. */
        public int upstreamStatus() {
            return upstreamStatus;
        }
    }

    /** Over its queue or quota and said when to come back: 503 with {@code Retry-After}. */
    public static final class Busy extends UpstreamException {
        private final Duration retryAfter;

        public Busy(String upstream, String message, Duration retryAfter) {
            super(upstream, message, null, 503, "upstream_busy", true);
            this.retryAfter = retryAfter;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(retryAfter);
        }
    }
}
