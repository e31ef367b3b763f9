package dev.jerry.kit.http;

import io.javalin.http.HttpResponseException;
import java.time.Duration;

/** 429: over a queue or a quota; answered with {@code Retry-After}. */
public final class RateLimitedException extends HttpResponseException {
    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(429, message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
