package dev.jerry.model.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes what never changes a question: letter case, punctuation around words, extra whitespace, greetings and
 * addressing ("hey jerry", "@Jerry", a Discord mention), chat fillers ("pls", "lol") and contractions. Two questions
 * with the same normalized text are the same question.
 */
final class Normalizer {
    private static final Pattern MENTION = Pattern.compile("<@[!&]?\\d+>");
    /** Punctuation that may surround a word; inside a word ("file.txt", "c++", "-l") it stays. */
    private static final String TRAILING_PUNCTUATION = "?!.,;:()[]{}\"'“”‘’«»<>*~…";
    /** Not "." "~" "*" before a word: ".bashrc", "~/.ssh" and "*.txt" are names. */
    private static final String LEADING_PUNCTUATION = "?!,;:()[]{}\"'“”‘’«»<>…";
    /** "why does my script not run" and "why doesn't my script run" ask the same: "not" moves to the auxiliary. */
    private static final Pattern SPLIT_NEGATION = Pattern.compile("^((?:why|how|what|when|where|who|which) )?"
            + "(do|does|did|is|are|was|were|can|could|will|would|should|has|have|had) "
            + "((?:\\S+ ){1,3}?)not ");

    /** Text in double quotes, typographic quotes, backticks, or single quotes that are not apostrophes. */
    private static final Pattern QUOTED =
            Pattern.compile("\"([^\"]+)\"|“([^”]+)”|`([^`]+)`|(?<![\\p{L}\\p{N}])'([^']+)'(?![\\p{L}\\p{N}])");

    private static final Pattern FLAG = Pattern.compile("-{1,2}\\p{L}[\\p{L}\\p{N}-]*");

    private final Vocabulary words;

    Normalizer(Vocabulary words) {
        this.words = words;
    }

    /**
     * What two questions must share to be the same question: the normalized text and, verbatim but for case and
     * spacing, any quoted text (punctuation in quotes, such as a separator {@code ","}, is meaning), and command-line
     * flags with capitals exactly as written.
     */
    String key(String text) {
        List<String> exact = new ArrayList<>(quoted(text));
        for (String token : text.split("\\s+")) {
            String bare = strip(token);
            if (flag(bare)) {
                exact.add(bare);
            }
        }
        return exact.isEmpty() ? normalize(text) : normalize(text) + " \u0000" + String.join("\u0000", exact);
    }

    /** A command-line flag ({@code -a}, {@code -A}, {@code --all}): its letter case is meaning. */
    static boolean flag(String token) {
        return FLAG.matcher(token).matches() && !token.equals(token.toLowerCase(Locale.ROOT));
    }

    /** The quoted parts of a text, lower case, spacing collapsed, sorted. */
    static List<String> quoted(String text) {
        List<String> quoted = new ArrayList<>();
        var q = QUOTED.matcher(text);
        while (q.find()) {
            for (int g = 1; g <= q.groupCount(); g++) {
                if (q.group(g) != null) {
                    quoted.add(q.group(g).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
                }
            }
        }
        quoted.sort(null);
        return quoted;
    }

    String normalize(String text) {
        String lower = MENTION.matcher(text)
                .replaceAll(" ")
                .replace('’', '\'')
                .replace('‘', '\'')
                .toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        for (String raw : lower.split("\\s+")) {
            String token = strip(raw);
            if (token.isEmpty()) {
                continue;
            }
            for (String part : expand(token).split(" ")) {
                if (!part.isEmpty()) {
                    tokens.add(part);
                }
            }
        }
        String joined = String.join(" ", withoutGreetings(tokens));
        return SPLIT_NEGATION.matcher(joined + " ").replaceFirst("$1$2 not $3").strip();
    }

    private static String strip(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && LEADING_PUNCTUATION.indexOf(token.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && TRAILING_PUNCTUATION.indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        return token.substring(start, end);
    }

    private String expand(String token) {
        String whole = words.contractions().get(token);
        if (whole != null) {
            return whole;
        }
        for (Map.Entry<String, String> e : words.contractions().entrySet()) {
            String suffix = e.getKey();
            if ((suffix.startsWith("'") || suffix.startsWith("n'"))
                    && token.endsWith(suffix)
                    && token.length() > suffix.length()) {
                return token.substring(0, token.length() - suffix.length()) + e.getValue();
            }
        }
        return token;
    }

    /**
     * Greetings at the start, sign-offs at the end and fillers at either end, as often as they repeat ("hey @jerry",
     * "thanks jerry", "pls ... lol").
     */
    private List<String> withoutGreetings(List<String> tokens) {
        int start = 0;
        int end = tokens.size();
        boolean changed = true;
        while (changed) {
            changed = false;
            // a filler only at either end: inside a question it may be what is asked about ("what does lol mean")
            if (end - start > 1 && words.fillers().contains(tokens.get(start))) {
                start++;
                changed = true;
            }
            if (end - start > 1 && words.fillers().contains(tokens.get(end - 1))) {
                end--;
                changed = true;
            }
            for (String greeting : words.greetings()) {
                String[] g = greeting.split(" ");
                if (end - start > g.length && matches(tokens, start, g)) {
                    start += g.length;
                    changed = true;
                    break;
                }
            }
            for (String signOff : words.signOffs()) {
                String[] s = signOff.split(" ");
                if (end - start > s.length && matches(tokens, end - s.length, s)) {
                    end -= s.length;
                    changed = true;
                    break;
                }
            }
        }
        return tokens.subList(start, end);
    }

    private static boolean matches(List<String> tokens, int from, String[] phrase) {
        for (int i = 0; i < phrase.length; i++) {
            if (!tokens.get(from + i).equals(phrase[i])) {
                return false;
            }
        }
        return true;
    }
}
