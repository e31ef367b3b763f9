package dev.jerry.model.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few word lists the meaning check needs beyond WordNet, read from {@code cache/*.txt}; each file says in its
 * header where its words come from (general English grammar and chat usage, never the labelled pairs).
 */
record Vocabulary(
        List<String> greetings,
        List<String> signOffs,
        Set<String> fillers,
        Map<String, String> contractions,
        List<Map.Entry<String, String>> phrases,
        Set<String> functionWords,
        Set<String> negations,
        Map<String, String> numbers,
        Set<String> roles,
        Set<String> timeWords,
        Set<String> scopeWords) {

    static Vocabulary load() {
        List<Map.Entry<String, String>> phrases =
                new ArrayList<>(pairs("phrases.txt").entrySet());
        // longest first, so that "how do i" is rewritten before a shorter phrase inside it could be
        phrases.sort(Comparator.comparingInt(
                        (Map.Entry<String, String> e) -> e.getKey().length())
                .reversed());
        return new Vocabulary(
                longestFirst(lines("greetings.txt")),
                longestFirst(lines("sign-offs.txt")),
                Set.copyOf(lines("fillers.txt")),
                pairs("contractions.txt"),
                List.copyOf(phrases),
                Set.copyOf(lines("function-words.txt")),
                Set.copyOf(lines("negations.txt")),
                pairs("numbers.txt"),
                Set.copyOf(lines("roles.txt")),
                Set.copyOf(lines("time-words.txt")),
                Set.copyOf(lines("scope-words.txt")));
    }

    private static List<String> longestFirst(List<String> phrases) {
        return phrases.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    private static Map<String, String> pairs(String file) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String line : lines(file)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("cache/" + file + ": expected word=replacement, got '" + line + "'");
            }
            pairs.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return pairs;
    }

    private static List<String> lines(String file) {
        InputStream in = Vocabulary.class.getResourceAsStream("/cache/" + file);
        if (in == null) {
            throw new IllegalStateException("cache/" + file + " is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(String::stripLeading)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
