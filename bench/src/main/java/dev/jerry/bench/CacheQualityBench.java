package dev.jerry.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.cache.SemanticCache;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.testing.CachePairs;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Semantic cache quality on the labelled pairs (docs/performance.md): for each split, trivial pairs served, paraphrase
 * hits per style and false hits per near-miss kind at the default settings, each pair in its own partition; then
 * lookup latency by outcome (the question's embedding included) and heap per 10k entries. Run:
 * {@code java -cp bench/target/bench.jar dev.jerry.bench.CacheQualityBench [dev|test|both] [--verbose]
 * [--threshold=0.9]} ({@code --verbose} lists the dev split's wrong answers; the test split's are never printed, to
 * keep tuning off it; a low {@code --threshold} shows what the meaning check does alone).
 */
public final class CacheQualityBench {
    private static final Generation ANSWER = new Generation("cached answer", "stop", 1, 1, 0, 1);

    private CacheQualityBench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 && !args[0].startsWith("--") ? args[0] : "both";
        boolean verbose = List.of(args).contains("--verbose");
        double threshold = List.of(args).stream()
                .filter(a -> a.startsWith("--threshold="))
                .map(a -> Double.parseDouble(a.substring("--threshold=".length())))
                .findFirst()
                .orElse(CacheConfig.DEFAULT_THRESHOLD);
        CacheConfig config = new CacheConfig(true, threshold, Duration.ofHours(1), 10_000, 64);
        Embedder embedder = Embedder.bgeSmall();
        embedder.embed(List.of("warm-up"));
        System.out.printf("similarity threshold %.2f%n", threshold);
        Map<String, List<Long>> nanos = new TreeMap<>();
        // one cache, as in the service: its lexicon memo warms up over the first round
        var cache = new SemanticCache(config, embedder, new ServiceMetrics("bench"), Ticker.systemTicker());
        for (int round = 0; round < 2; round++) { // the first round warms WordNet, the JIT and the lexicon's memo
            boolean report = round == 1;
            nanos.clear();
            for (CachePairs.Split split : CachePairs.Split.values()) {
                if (which.equals("both") || which.equalsIgnoreCase(split.name())) {
                    quality(split + "-" + round, split, cache, report, verbose && split == CachePairs.Split.DEV, nanos);
                }
            }
        }
        nanos.forEach((outcome, values) -> System.out.printf(
                "lookup %-20s n=%4d  p50 %6.2f ms  p90 %6.2f ms%n",
                outcome, values.size(), percentile(values, 50) / 1e6, percentile(values, 90) / 1e6));
        long start = System.nanoTime();
        float[] vector = embedder.embed(List.of("how do I renew my passport")).getFirst();
        List<Long> embedOnly = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            start = System.nanoTime();
            embedder.embed(List.of("how do I renew my passport " + (i % 10)));
            embedOnly.add(System.nanoTime() - start);
        }
        System.out.printf("embedding one short question alone: p50 %.2f ms%n", percentile(embedOnly, 50) / 1e6);
        memory(vector.length);
        System.exit(0);
    }

    /** The tally of one split. */
    private record Tally(Map<String, int[]> kinds, Map<String, int[]> styles, Map<String, Integer> reasons) {
        static Tally empty() {
            return new Tally(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        }
    }

    private static void quality(
            String run,
            CachePairs.Split split,
            SemanticCache cache,
            boolean report,
            boolean verbose,
            Map<String, List<Long>> nanos) {
        Tally tally = Tally.empty();
        List<String> wrong = new ArrayList<>();
        int index = 0;
        for (CachePairs.Pair pair : CachePairs.load(split)) {
            String model = run + "-" + index++;
            var stored = cache.lookup(key(model, pair.cached()));
            cache.store((SemanticCache.Lookup.Miss) stored, ANSWER);
            long t0 = System.nanoTime();
            var asked = cache.lookup(key(model, pair.asked()));
            long took = System.nanoTime() - t0;
            nanos.computeIfAbsent(outcome(asked), k -> new ArrayList<>()).add(took);
            boolean hit = asked instanceof SemanticCache.Lookup.Hit;
            tally.reasons().merge(pair.kind() + " -> " + asked.reason(), 1, Integer::sum);
            int[] kind = tally.kinds().computeIfAbsent(pair.kind(), k -> new int[2]);
            kind[0]++;
            kind[1] += hit ? 1 : 0;
            if (pair.hit()) {
                int[] style = tally.styles().computeIfAbsent(pair.kind() + "/" + pair.style(), k -> new int[2]);
                style[0]++;
                style[1] += hit ? 1 : 0;
            }
            if (hit != pair.hit()) {
                wrong.add(pair.kind() + "/" + pair.style() + " [" + asked.reason() + "] " + pair.cached() + " | "
                        + pair.asked());
            }
        }
        if (!report) {
            return;
        }
        System.out.printf("== %s split ==%n", split);
        int[] para = tally.kinds().getOrDefault("paraphrase", new int[2]);
        int[] trivial = tally.kinds().getOrDefault("trivial", new int[2]);
        System.out.printf(
                "trivial: %d/%d hit (%.1f %%); paraphrases: %d/%d hit (%.1f %%)%n",
                trivial[1], trivial[0], 100.0 * trivial[1] / trivial[0], para[1], para[0], 100.0 * para[1] / para[0]);
        tally.styles().forEach((style, n) -> System.out.printf("  %-22s %3d/%3d hit%n", style, n[1], n[0]));
        int falseHits = 0;
        int nearMisses = 0;
        for (var e : tally.kinds().entrySet()) {
            if (!e.getKey().equals("trivial") && !e.getKey().equals("paraphrase")) {
                System.out.printf("  false hits, %-10s %3d/%3d%n", e.getKey(), e.getValue()[1], e.getValue()[0]);
                falseHits += e.getValue()[1];
                nearMisses += e.getValue()[0];
            }
        }
        System.out.printf("false hits: %d of %d near-misses%n", falseHits, nearMisses);
        tally.reasons().forEach((reason, n) -> System.out.printf("  %-34s %3d%n", reason, n));
        if (verbose) {
            wrong.forEach(w -> System.out.println("  WRONG " + w));
        }
    }

    /**
     * Heap held by 10,000 cached answers of about 800 characters to questions of about 60, with real-sized vectors
     * (random values: what they hold does not change their size) and 64 answers per partition.
     */
    private static void memory(int dimension) {
        Random random = new Random(1);
        EmbeddingModel randomVectors = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                List<Embedding> vectors = new ArrayList<>();
                for (int s = 0; s < segments.size(); s++) {
                    float[] v = new float[dimension];
                    for (int i = 0; i < dimension; i++) {
                        v[i] = random.nextFloat();
                    }
                    vectors.add(Embedding.from(v));
                }
                return Response.from(vectors);
            }
        };
        long before = usedHeap();
        var cache = new SemanticCache(
                CacheConfig.defaults(),
                new Embedder(randomVectors, "random"),
                new ServiceMetrics("memory"),
                Ticker.systemTicker());
        String answer = "x".repeat(800);
        for (int i = 0; i < 10_000; i++) {
            var key = key("partition-" + (i / 64), "How do I configure the option number " + i + " of the service?");
            cache.store(
                    (SemanticCache.Lookup.Miss) cache.lookup(key), new Generation(answer + i, "stop", 20, 200, 1, 1));
        }
        long after = usedHeap();
        System.out.printf(
                "heap for 10,000 entries (%d-dim vectors, ~800-char answers): %.1f MB; WordNet itself: see the log%n",
                dimension, (after - before) / 1e6);
        java.lang.ref.Reference.reachabilityFence(cache);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String outcome(SemanticCache.Lookup lookup) {
        return switch (lookup) {
            case SemanticCache.Lookup.Hit hit -> "hit " + hit.reason();
            case SemanticCache.Lookup.Miss miss -> miss.rejected() == null ? "miss" : "miss (rejected)";
        };
    }

    private static SemanticCache.Key key(String model, String question) {
        return SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(question)));
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
