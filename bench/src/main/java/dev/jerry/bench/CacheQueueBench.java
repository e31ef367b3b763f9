package dev.jerry.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.cache.SemanticCache;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.queue.FairQueue;
import dev.jerry.testing.CachePairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Semantic cache and fair queue benchmarks (docs/performance.md): hit and false-hit rates on the labelled set at the
 * default threshold, lookup latency of exact and semantic hits (the question's embedding included), and the time
 * the queue adds to a request that does not wait. Run:
 * {@code java -cp bench/target/bench.jar dev.jerry.bench.CacheQueueBench}.
 */
public final class CacheQueueBench {
    private CacheQueueBench() {}

    public static void main(String[] args) throws Exception {
        // the dev split only: CacheQualityBench reports both splits in detail
        List<String[]> pairs = CachePairs.load(CachePairs.Split.DEV).stream()
                .map(p -> new String[] {p.cached(), p.asked(), p.hit() ? "hit" : "miss"})
                .toList();
        Embedder embedder = Embedder.bgeSmall();
        embedder.embed(List.of("warm-up"));
        var cache =
                new SemanticCache(CacheConfig.defaults(), embedder, new ServiceMetrics("bench"), Ticker.systemTicker());
        Generation answer = new Generation("cached answer", "stop", 1, 1, 0, 1);
        int paraphrases = 0;
        int hits = 0;
        int nearMisses = 0;
        int falseHits = 0;
        List<Long> semanticHit = new ArrayList<>();
        List<Long> exactHit = new ArrayList<>();
        int index = 0;
        for (String[] pair : pairs) {
            String model = "pair-" + index++;
            var stored = cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair[0]))));
            cache.store((SemanticCache.Lookup.Miss) stored, answer);
            long t0 = System.nanoTime();
            var asked = cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair[1]))));
            long took = System.nanoTime() - t0;
            boolean hit = asked instanceof SemanticCache.Lookup.Hit;
            if (pair[2].equals("hit")) {
                paraphrases++;
                if (hit) {
                    hits++;
                    semanticHit.add(took);
                }
            } else {
                nearMisses++;
                falseHits += hit ? 1 : 0;
            }
            t0 = System.nanoTime();
            cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair[0]))));
            exactHit.add(System.nanoTime() - t0);
        }
        System.out.printf(
                "labelled set (%d pairs) at threshold %.2f: %d/%d paraphrases hit (%.1f %%), "
                        + "%d/%d near-misses hit (false hits)%n",
                pairs.size(),
                CacheConfig.DEFAULT_THRESHOLD,
                hits,
                paraphrases,
                100.0 * hits / paraphrases,
                falseHits,
                nearMisses);
        System.out.printf(
                "cache lookup, semantic hit (question embedding included): p50 %.2f ms, p99 %.2f ms%n",
                percentile(semanticHit, 50) / 1e6, percentile(semanticHit, 99) / 1e6);
        System.out.printf(
                "cache lookup, exact hit: p50 %.3f ms, p99 %.3f ms%n",
                percentile(exactHit, 50) / 1e6, percentile(exactHit, 99) / 1e6);

        FairQueue queue = new FairQueue("bench", 1, 32, new ServiceMetrics("bench"));
        int rounds = 200_000;
        for (int i = 0; i < rounds; i++) { // warm-up
            queue.run("u" + (i % 4), () -> 1, FairQueue.Listener.NONE);
        }
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            queue.run("u" + (i % 4), () -> 1, FairQueue.Listener.NONE);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "queue overhead for a request that does not wait: p50 %.1f µs, p99 %.1f µs%n",
                nanos[rounds / 2] / 1e3, nanos[rounds * 99 / 100] / 1e3);
        System.exit(0);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
