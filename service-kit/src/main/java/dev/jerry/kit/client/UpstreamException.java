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

    private UpstreamException(String upstream, String message, Throwable cause) {
        super(message, cause);
        this.upstream = upstream;
    }

    /** The name of what failed, e.g. {@code rag-service} or {@code chroma}. */
    public String upstream() {
        return upstream;
    }

    /** Whether trying again later can succeed without changing the request. */
    public abstract boolean retriable();

    /** The HTTP status this failure is answered with. */
    public abstract int httpStatus();

    /** The {@code type} of the JSON error body. */
    public abstract String errorType();

    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** Down, unreachable or not ready: 503. */
    public static final class Unavailable extends UpstreamException {
        public Unavailable(String upstream, String message, Throwable cause) {
            super(upstream, message, cause);
        }

        @Override
        public boolean retriable() {
            return true;
        }

        @Override
        public int httpStatus() {
            return 503;
        }

        @Override
        public String errorType() {
            return "upstream_unavailable";
        }
    }

    /** Did not answer in time: 504. */
    public static final class Timeout extends UpstreamException {
        public Timeout(String upstream, String message, Throwable cause) {
            super(upstream, message, cause);
        }

        @Override
        public boolean retriable() {
            return false;
        }

        @Override
        public int httpStatus() {
            return 504;
        }

        @Override
        public String errorType() {
            return "upstream_timeout";
        }
    }

    /** Answered, but with an error or with something unreadable: 502. */
    public static final class BadResponse extends UpstreamException {
        private final int upstreamStatus;

        public BadResponse(String upstream, int upstreamStatus, String message, Throwable cause) {
            super(upstream, message, cause);
            this.upstreamStatus = upstreamStatus;
        }

        /** The status the upstream answered with; 0 when the body, not the status, was the problem. */
        public int upstreamStatus() {
            return upstreamStatus;
        }

        @Override
        public boolean retriable() {
            return false;
        }

        @Override
        public int httpStatus() {
            return 502;
        }

        @Override
        public String errorType() {
            return "upstream_error";
        }
    }

    /** Over its queue or quota and said when to come back: 503 with {@code Retry-After}. */
    public static final class Busy extends UpstreamException {
        private final Duration retryAfter;

        public Busy(String upstream, String message, Duration retryAfter) {
            super(upstream, message, null);
            this.retryAfter = retryAfter;
        }

        @Override
        public boolean retriable() {
            return true;
        }

        @Override
        public int httpStatus() {
            return 503;
        }

        @Override
        public String errorType() {
            return "upstream_busy";
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(retryAfter);
        }
    }
}
