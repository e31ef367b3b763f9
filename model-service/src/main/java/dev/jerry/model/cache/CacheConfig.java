package dev.jerry.model.cache;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.time.Duration;

/**
 * The semantic cache in front of inference.
 *
 * @param enabled {@code JERRY_CACHE_ENABLED}
 * @param threshold {@code JERRY_CACHE_THRESHOLD}: cosine similarity a paraphrase must reach (and then pass the {@link MeaningCheck})
 * @param ttl {@code JERRY_CACHE_TTL}: how long an answer is served from the cache
 * @param maxEntries {@code JERRY_CACHE_MAX_ENTRIES}: answers kept in all
 * @param maxPerPartition answers kept per conversation context, which bounds the cost of a semantic lookup
 */
public record CacheConfig(boolean enabled, double threshold, Duration ttl, long maxEntries, int maxPerPartition) {
    public static final double DEFAULT_THRESHOLD = 0.90;

    public CacheConfig {
        if (threshold <= 0 || threshold > 1) {
            throw new ConfigException("JERRY_CACHE_THRESHOLD", "must be above 0 and at most 1, got " + threshold);
        }
    }

    public static CacheConfig defaults() {
        return new CacheConfig(true, DEFAULT_THRESHOLD, Duration.ofHours(1), 10_000, 64);
    }

    public static CacheConfig off() {
        return new CacheConfig(false, DEFAULT_THRESHOLD, Duration.ofHours(1), 10_000, 64);
    }

    public static CacheConfig fromEnv(Env env) {
        String raw = env.string("JERRY_CACHE_THRESHOLD", String.valueOf(DEFAULT_THRESHOLD));
        double threshold;
        try {
            threshold = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new ConfigException("JERRY_CACHE_THRESHOLD", "must be a number such as 0.9, got '" + raw + "'");
        }
        return new CacheConfig(
                env.bool("JERRY_CACHE_ENABLED", true),
                threshold,
                env.duration("JERRY_CACHE_TTL", Duration.ofHours(1)),
                env.longValue("JERRY_CACHE_MAX_ENTRIES", 10_000, 0, 10_000_000),
                64);
    }
}
