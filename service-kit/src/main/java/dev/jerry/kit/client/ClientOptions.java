package dev.jerry.kit.client;

import java.time.Duration;

/**
 * Timeouts and retry policy of a {@link ServiceClient}.
 *
 * @param connectTimeout how long to wait for the TCP connection
 * @param readTimeout how long to wait for the response headers of a call
 * @param streamIdleTimeout how long a stream may stay silent between two events
 * @param maxAttempts attempts in all, including the first; only retriable failures are tried again
 * @param initialBackoff wait before the second attempt, doubled for each further one
 * @param maxBackoff longest wait between attempts; a {@code Retry-After} beyond it is not waited for
 */
public record ClientOptions(
        Duration connectTimeout,
        Duration readTimeout,
        Duration streamIdleTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff) {
    public ClientOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                3,
                Duration.ofMillis(200),
                Duration.ofSeconds(5));
    }

    public ClientOptions withReadTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, timeout, streamIdleTimeout, maxAttempts, initialBackoff, maxBackoff);
    }

    public ClientOptions withStreamIdleTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, readTimeout, timeout, maxAttempts, initialBackoff, maxBackoff);
    }

    public ClientOptions withMaxAttempts(int attempts) {
        return new ClientOptions(connectTimeout, readTimeout, streamIdleTimeout, attempts, initialBackoff, maxBackoff);
    }
}
