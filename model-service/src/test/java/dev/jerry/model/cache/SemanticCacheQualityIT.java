package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceHarness;
import dev.jerry.model.backend.Generation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The labelled set (≥ 200 pairs) through the real cache with the real embedding model: at the default threshold no
 * near-miss may hit, and at least 60 % of the true paraphrases must.
 */
class SemanticCacheQualityIT {

    static List<String[]> pairs() throws Exception {
        List<String[]> pairs = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                SemanticCacheQualityIT.class.getResourceAsStream("/cache-pairs.tsv"), StandardCharsets.UTF_8))) {
            in.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> pairs.add(l.split("\t")));
        }
        return pairs;
    }

    @Test
    void should_never_serve_a_near_miss_and_hit_most_paraphrases_at_the_default_threshold() throws Exception {
        var cache = new SemanticCache(
                CacheConfig.defaults(), ModelServiceHarness.EMBEDDER, new ServiceMetrics("q"), Ticker.systemTicker());
        Generation answer = new Generation("cached answer", "stop", 1, 1, 0, 1);
        List<String> falseHits = new ArrayList<>();
        int paraphrases = 0;
        int hits = 0;
        int index = 0;
        for (String[] pair : pairs()) {
            // each pair in its own partition, as if in its own conversation
            String model = "pair-" + index++;
            var stored = cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair[0]))));
            cache.store((SemanticCache.Lookup.Miss) stored, answer);
            var asked = cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair[1]))));
            boolean hit = asked instanceof SemanticCache.Lookup.Hit;
            if (pair[2].equals("hit")) {
                paraphrases++;
                hits += hit ? 1 : 0;
            } else if (hit) {
                falseHits.add(pair[3] + ": " + pair[0] + " -> " + pair[1]);
            }
        }
        System.out.printf(
                "labelled set: %d of %d paraphrases hit (%.1f %%), %d false hits%n",
                hits, paraphrases, 100.0 * hits / paraphrases, falseHits.size());
        assertThat(falseHits).isEmpty();
        assertThat(hits).isGreaterThanOrEqualTo((int) Math.ceil(0.6 * paraphrases));
    }

    @Test
    void should_show_the_similarity_of_paraphrases_and_near_misses() throws Exception {
        // a report for tuning the threshold, with one guard: paraphrases are, on average, closer than near-misses
        double paraphrase = 0;
        double nearMiss = 0;
        int p = 0;
        int n = 0;
        for (String[] pair : pairs()) {
            var vectors = ModelServiceHarness.EMBEDDER.embed(List.of(pair[0], pair[1]));
            double similarity = SemanticCache.cosine(vectors.get(0), vectors.get(1));
            if (pair[2].equals("hit")) {
                paraphrase += similarity;
                p++;
            } else {
                nearMiss += similarity;
                n++;
            }
        }
        System.out.printf("mean similarity: paraphrases %.3f, near-misses %.3f%n", paraphrase / p, nearMiss / n);
        assertThat(paraphrase / p).isGreaterThan(0.8);
    }
}
