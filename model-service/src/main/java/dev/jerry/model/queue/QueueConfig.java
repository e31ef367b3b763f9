package dev.jerry.model.queue;

import dev.jerry.kit.config.Env;

/**
 * @param concurrency {@code JERRY_QUEUE_CONCURRENCY}: generations run at once per backend (1 suits CPU llama.cpp)
 * @param maxWaiting {@code JERRY_QUEUE_MAX}: requests that may wait per backend before new ones get 429
 */
public record QueueConfig(int concurrency, int maxWaiting) {
    public static QueueConfig defaults() {
        return new QueueConfig(1, 32);
    }

    public static QueueConfig fromEnv(Env env) {
        return new QueueConfig(
                env.integer("JERRY_QUEUE_CONCURRENCY", 1, 1, 256), env.integer("JERRY_QUEUE_MAX", 32, 0, 100_000));
    }
}
