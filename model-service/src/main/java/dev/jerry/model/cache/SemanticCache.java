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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers repeated questions without inference. The partition is a hash of everything but the last message (model,
 * sampling parameters, tools, earlier turns); inside it, a last message matches exactly; a user question also
 * matches after {@link Normalizer normalization} (case, punctuation, greetings, contractions), or by embedding
 * similarity above the threshold when the {@link MeaningCheck} finds no difference in meaning. Every lookup says why
 * it hit or missed ({@link Lookup#reason()}). Caffeine bounds size and age; the lookup cost depends on one
 * partition's size, never on how many partitions there are.
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

    /** How a hit was found. */
    public enum Match {
        EXACT,
        NORMALIZED,
        SEMANTIC;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome of a lookup, with its reason: a label for metrics and the {@code X-Jerry-Cache} header. */
    public sealed interface Lookup {
        /** {@code exact}, {@code normalized}, {@code semantic}, {@code miss} or {@code rejected:<difference>}. */
        String reason();

        record Hit(CacheEntry entry, double similarity, Match match) implements Lookup {
            @Override
            public String reason() {
                return match.label();
            }
        }

        /**
         * A miss carries the question's embedding (null when none was needed), so that storing the answer does not
         * embed it again, and the difference that stopped the most similar cached question, if one was similar.
         */
        record Miss(Key key, float[] embedding, Difference rejected) implements Lookup {
            @Override
            public String reason() {
                return rejected == null ? "miss" : rejected.label();
            }
        }
    }

    private final CacheConfig config;
    private final Embedder embedder;
    private final ServiceMetrics metrics;
    private final MeaningCheck meaning;
    private final Cache<String, CacheEntry> entries;
    private final Map<String, Deque<String>> partitions = new ConcurrentHashMap<>();

    public SemanticCache(CacheConfig config, Embedder embedder, ServiceMetrics metrics, Ticker ticker) {
        this.config = config;
        this.embedder = embedder;
        this.metrics = metrics;
        this.meaning = new MeaningCheck(Vocabulary.load(), new Lexicon());
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
        if (config.enabled()) {
            // WordNet takes seconds to load: start now, so the first similar question does not wait for it
            Thread.ofVirtual().name("wordnet-load").start(Lexicon::preload);
        }
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
        Lookup lookup = find(key);
        String result = switch (lookup) {
            case Lookup.Hit hit -> {
                saved(hit.entry());
                yield "hit_" + hit.match().label();
            }
            case Lookup.Miss miss -> "miss";
        };
        metrics.counter(
                        "cache.lookups",
                        "Cache lookups by result and reason",
                        "result",
                        result,
                        "reason",
                        lookup.reason())
                .increment();
        if (lookup instanceof Lookup.Miss(var k, var e, Difference rejected) && rejected != null) {
            metrics.counter(
                            "cache.guard.rejections",
                            "Similar cached questions rejected for a difference in meaning",
                            "difference",
                            rejected.name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
        }
        return lookup;
    }

    private Lookup find(Key key) {
        CacheEntry exact = entries.getIfPresent(key.exact());
        if (exact != null) {
            return new Lookup.Hit(exact, 1.0, Match.EXACT);
        }
        if (!key.semantic()) {
            return new Lookup.Miss(key, null, null);
        }
        String normalized = meaning.normalizer().key(key.last().content());
        List<CacheEntry> candidates = new ArrayList<>();
        for (String candidateKey : snapshot(key.partition())) {
            CacheEntry candidate = entries.getIfPresent(candidateKey);
            if (candidate == null || candidate.normalized() == null) {
                continue;
            }
            if (candidate.normalized().equals(normalized)) {
                return new Lookup.Hit(candidate, 1.0, Match.NORMALIZED);
            }
            if (candidate.embedding() != null) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            return new Lookup.Miss(key, null, null); // nothing to compare with: the embedding waits for store()
        }
        float[] question = embed(key.last().content());
        CacheEntry best = null;
        double bestScore = -1;
        Difference rejected = null;
        double rejectedScore = -1;
        for (CacheEntry candidate : candidates) {
            double score = cosine(question, candidate.embedding());
            if (score < config.threshold() || score <= bestScore) {
                continue;
            }
            Optional<Difference> difference =
                    meaning.difference(candidate.question(), key.last().content());
            if (difference.isPresent()) {
                if (score > rejectedScore) {
                    rejected = difference.get();
                    rejectedScore = score;
                }
                continue;
            }
            best = candidate;
            bestScore = score;
        }
        if (best != null) {
            return new Lookup.Hit(best, Math.round(bestScore * 10_000) / 10_000.0, Match.SEMANTIC);
        }
        return new Lookup.Miss(key, question, rejected);
    }

    /**
     * Keeps an answer that the generation returned normally. A failed or cancelled generation never gets here (it
     * ends in an exception); an answer cut at {@code max_tokens} is the whole answer to that request, since
     * {@code max_tokens} is part of the partition.
     */
    public void store(Lookup.Miss miss, Generation generation) {
        Key key = miss.key();
        String normalized = null;
        float[] embedding = null;
        if (key.semantic()) {
            normalized = meaning.normalizer().key(key.last().content());
            embedding = miss.embedding() != null
                    ? miss.embedding()
                    : embed(key.last().content());
        }
        CacheEntry entry =
                new CacheEntry(key.exact(), key.partition(), key.last().content(), normalized, embedding, generation);
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

    /** The embedding of a question without greetings, fillers and case, which only add noise. */
    private float[] embed(String question) {
        return embedder.embed(List.of(meaning.normalizer().normalize(question))).getFirst();
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
