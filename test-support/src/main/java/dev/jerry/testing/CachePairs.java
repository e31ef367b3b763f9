package dev.jerry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The semantic cache's labelled question pairs ({@code cache/cache-pairs-{dev,test}.tsv}), split by topic: tune on
 * {@link Split#DEV}, assert and report on {@link Split#TEST}.
 */
public final class CachePairs {
    public enum Split {
        DEV,
        TEST;

        String file() {
            return "/cache/cache-pairs-" + name().toLowerCase(java.util.Locale.ROOT) + ".tsv";
        }
    }

    /**
     * One labelled pair.
     *
     * @param hit whether the cached answer fits the asked question
     * @param kind {@code trivial}, {@code paraphrase}, or the near-miss kind ({@code direction}, {@code scope},
     *     {@code antonym}, {@code time}, {@code entity}, {@code negation}, {@code number}, {@code quoted})
     * @param style how a trivial pair or a paraphrase differs; {@code -} for near-misses
     */
    public record Pair(String topic, boolean hit, String kind, String style, String cached, String asked) {}

    private CachePairs() {}

    public static List<Pair> load(Split split) {
        InputStream in = CachePairs.class.getResourceAsStream(split.file());
        if (in == null) {
            throw new IllegalStateException(split.file() + " is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("\t"))
                    .map(f -> new Pair(f[0], f[1].equals("hit"), f[2], f[3], f[4], f[5]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
