package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceHarness;
import dev.jerry.model.backend.Generation;
import dev.jerry.testing.CachePairs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The labelled TEST split (topics never used for tuning) through the real cache with the real embedding model at the
 * default settings, each pair in its own partition: no near-miss of any kind may hit, every trivial variant must, and
 * paraphrases must hit at least at the rate measured when the split was first run (72.9 %) minus 5 points.
 */
class SemanticCacheQualityIT {
    private static final double PARAPHRASE_FLOOR = 0.679;

    @Test
    void should_never_serve_a_near_miss_always_serve_trivial_variants_and_most_paraphrases() {
        // given
        var cache = new SemanticCache(
                CacheConfig.defaults(), ModelServiceHarness.EMBEDDER, new ServiceMetrics("q"), Ticker.systemTicker());
        Generation answer = new Generation("cached answer", "stop", 1, 1, 0, 1);
        Map<String, List<String>> falseHits = new TreeMap<>();
        List<String> trivialMissed = new ArrayList<>();
        int paraphrases = 0;
        int paraphraseHits = 0;
        int nearMisses = 0;
        int index = 0;

        // when
        for (CachePairs.Pair pair : CachePairs.load(CachePairs.Split.TEST)) {
            String model = "pair-" + index++;
            var stored =
                    cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair.cached()))));
            cache.store((SemanticCache.Lookup.Miss) stored, answer);
            var asked =
                    cache.lookup(SemanticCache.key(model, 0, 64, null, null, List.of(ChatMessage.user(pair.asked()))));
            boolean hit = asked instanceof SemanticCache.Lookup.Hit;
            switch (pair.kind()) {
                case "trivial" -> {
                    if (!hit) {
                        trivialMissed.add(pair.cached() + " -> " + pair.asked() + " [" + asked.reason() + "]");
                    }
                }
                case "paraphrase" -> {
                    paraphrases++;
                    paraphraseHits += hit ? 1 : 0;
                }
                default -> {
                    nearMisses++;
                    falseHits.computeIfAbsent(pair.kind(), k -> new ArrayList<>());
                    if (hit) {
                        falseHits.get(pair.kind()).add(pair.cached() + " -> " + pair.asked());
                    }
                }
            }
        }

        // then
        System.out.printf(
                "test split: %d/%d paraphrases hit (%.1f %%), false hits %s of %d near-misses, trivial missed %d%n",
                paraphraseHits,
                paraphrases,
                100.0 * paraphraseHits / paraphrases,
                falseHits,
                nearMisses,
                trivialMissed.size());
        assertThat(falseHits)
                .containsOnlyKeys("direction", "scope", "antonym", "time", "entity", "negation", "number", "quoted");
        assertThat(falseHits)
                .allSatisfy((kind, hits) -> assertThat(hits).as(kind).isEmpty());
        assertThat(trivialMissed).isEmpty();
        assertThat(paraphraseHits).isGreaterThanOrEqualTo((int) Math.ceil(PARAPHRASE_FLOOR * paraphrases));
    }
}
