package dev.jerry.model.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.embedding.Embedder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers repeated questions without inference. The partition is a hash of everything but the last message (model,
 * sampling parameters, tools, earlier turns); inside it, a last message matches exactly, or, for a user question, by
 * embedding similarity above the threshold AND the {@link MeaningGuard}. Caffeine bounds size and age; the lookup
 * cost depends on one partition's size, never on how many partitions there are.
 */
public final class SemanticCache {
    /** What a request is looked up by. */
    public record Key(String partition, ChatMessage last) {
        String exact() {
            return partition + ":" + Sha256.hex(last.role() + "\u0000" + last.content());
        }

        boolean semantic() {
            return last.role().equals("user");
        }
    }

    public sealed interface Lookup {
        record Hit(CacheEntry entry, double similarity) implements Lookup {}

        /** A miss carries the question's embedding, so that storing the answer does not embed it again. */
        record Miss(Key key, float[] embedding) implements Lookup {}
    }

    private final CacheConfig config;
    private final Embedder embedder;
    private final ServiceMetrics metrics;
    private final Cache<String, CacheEntry> entries;
    private final Map<String, Deque<String>> partitions = new ConcurrentHashMap<>();

    public SemanticCache(CacheConfig config, Embedder embedder, ServiceMetrics metrics, Ticker ticker) {
        this.config = config;
        this.embedder = embedder;
        this.metrics = metrics;
        this.entries = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .expireAfterWrite(config.ttl())
                .ticker(ticker)
                .executor(Runnable::run)
                .<String, CacheEntry>removalListener((key, entry, cause) -> {
                    // a replaced entry keeps its place in its partition
                    if (entry != null && cause != RemovalCause.REPLACED) {
                        forget(entry);
                    }
                })
                .build();
        metrics.registry().gauge(metrics.name("cache.entries"), entries, Cache::estimatedSize);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The key of a request: its partition from everything but the last message. */
    public static Key key(
            String model, double temperature, int maxTokens, Long seed, Object tools, List<ChatMessage> messages) {
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("model", model);
        context.put("temperature", temperature);
        context.put("max_tokens", maxTokens);
        context.put("seed", seed);
        context.put("tools", tools);
        context.put("history", messages.subList(0, messages.size() - 1));
        return new Key(Sha256.hex(Json.write(context)), messages.getLast());
    }

    public Lookup lookup(Key key) {
        CacheEntry exact = entries.getIfPresent(key.exact());
        if (exact != null) {
            count("hit_exact");
            saved(exact);
            return new Lookup.Hit(exact, 1.0);
        }
        if (!key.semantic()) {
            count("miss");
            return new Lookup.Miss(key, null);
        }
        float[] question = embedder.embed(List.of(key.last().content())).getFirst();
        CacheEntry best = null;
        double bestScore = -1;
        String rejected = null;
        for (String candidateKey : snapshot(key.partition())) {
            CacheEntry candidate = entries.getIfPresent(candidateKey);
            if (candidate == null || candidate.embedding() == null) {
                continue;
            }
            double score = cosine(question, candidate.embedding());
            if (score < config.threshold() || score <= bestScore) {
                continue;
            }
            Optional<String> difference =
                    MeaningGuard.difference(candidate.question(), key.last().content());
            if (difference.isPresent()) {
                rejected = difference.get();
                continue;
            }
            best = candidate;
            bestScore = score;
        }
        if (best != null) {
            count("hit_semantic");
            saved(best);
            return new Lookup.Hit(best, Math.round(bestScore * 10_000) / 10_000.0);
        }
        if (rejected != null) {
            metrics.counter(
                            "cache.guard.rejections",
                            "Similar cached questions rejected for a difference in meaning",
                            "difference",
                            rejected)
                    .increment();
        }
        count("miss");
        return new Lookup.Miss(key, question);
    }

    /**
     * Keeps an answer that the generation returned normally. A failed or cancelled generation never gets here (it
     * ends in an exception); an answer cut at {@code max_tokens} is the whole answer to that request, since
     * {@code max_tokens} is part of the partition.
     */
    public void store(Lookup.Miss miss, Generation generation) {
        Key key = miss.key();
        CacheEntry entry =
                new CacheEntry(key.exact(), key.partition(), key.last().content(), miss.embedding(), generation);
        Deque<String> keys = partitions.computeIfAbsent(key.partition(), p -> new ArrayDeque<>());
        String evict = null;
        synchronized (keys) {
            keys.remove(entry.key());
            keys.addLast(entry.key());
            if (keys.size() > config.maxPerPartition()) {
                evict = keys.pollFirst();
            }
        }
        entries.put(entry.key(), entry);
        if (evict != null) {
            entries.invalidate(evict);
        }
    }

    private List<String> snapshot(String partition) {
        Deque<String> keys = partitions.get(partition);
        if (keys == null) {
            return List.of();
        }
        synchronized (keys) {
            return List.copyOf(keys);
        }
    }

    private void forget(CacheEntry entry) {
        partitions.computeIfPresent(entry.partition(), (p, keys) -> {
            synchronized (keys) {
                keys.remove(entry.key());
                return keys.isEmpty() ? null : keys;
            }
        });
    }

    private void count(String result) {
        metrics.counter("cache.lookups", "Cache lookups by result", "result", result)
                .increment();
    }

    private void saved(CacheEntry entry) {
        metrics.timer("cache.time.saved", "Generation time not spent thanks to cache hits")
                .record(Duration.ofNanos(entry.generation().totalNanos()));
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
