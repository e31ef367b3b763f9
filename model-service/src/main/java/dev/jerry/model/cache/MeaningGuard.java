package dev.jerry.model.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second test a semantic-cache candidate must pass: embeddings rate "enable X" and "disable X" as near
 * identical, so two questions only count as the same when they also agree on the words that carry their meaning:
 * negation, numbers (digits and number words), quoted text, named entities, and either side of an antonym pair.
 */
final class MeaningGuard {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|“([^”]+)”|`([^`]+)`");
    private static final Pattern NUMBER =
            Pattern.compile("\\d+(?:[.,:]\\d+)*(?:\\s*(?:am|pm)\\b)?", Pattern.CASE_INSENSITIVE);

    private static final Set<String> NEGATIONS = Set.of(
            "not",
            "no",
            "never",
            "none",
            "nobody",
            "nothing",
            "neither",
            "nor",
            "without",
            "cannot",
            "can't",
            "don't",
            "doesn't",
            "didn't",
            "isn't",
            "aren't",
            "wasn't",
            "weren't",
            "won't",
            "wouldn't",
            "shouldn't",
            "couldn't",
            "mustn't",
            "haven't",
            "hasn't",
            "hadn't",
            "nowhere");

    private static final Set<String> NUMBER_WORDS = Set.of(
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "twenty",
            "thirty",
            "forty",
            "fifty",
            "hundred",
            "thousand",
            "million",
            "billion",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "last",
            "half",
            "double",
            "twice");

    /**
     * Groups of opposite words, each a list of sides. Two questions differ when they lean to different sides of a
     * group ("enable" and "turn off"); a question that uses no side of a group says nothing about it.
     */
    private static final List<List<Set<String>>> OPPOSITES = List.of(
            sides("enable,enabled,on,activate", "disable,disabled,off,deactivate"),
            sides("open,opened", "close,closed"),
            sides("start,started,begin,running,run,up", "stop,stopped,end,halt,down"),
            sides("increase,raise,bigger,larger,more,higher,up", "decrease,reduce,lower,smaller,less,fewer,down"),
            sides("add,put", "remove,delete"),
            sides("allow,grant,permit", "deny,block,forbid"),
            sides("before", "after"),
            sides("maximum,max,largest,biggest", "minimum,min,smallest"),
            sides("true,yes", "false,no"),
            sides("accept", "decline,reject,refuse"),
            sides("install", "uninstall"),
            sides("lock", "unlock"),
            sides("show,display", "hide"),
            sides("include", "exclude"),
            sides("import", "export"),
            sides("buy", "sell"),
            sides("win,won", "lose,lost"),
            sides("longer,lengthen", "shorter,shorten"),
            sides("above", "below"),
            sides("good,healthy", "bad,unhealthy"),
            sides("free", "paid"),
            sides("save", "delete,discard"),
            sides("keep", "reset"),
            sides("connect,connected", "disconnect,disconnected"),
            sides("subscribe", "unsubscribe"),
            sides("pin", "unpin"),
            sides("encrypt", "decrypt"),
            sides("upgrade,update", "downgrade"),
            sides("merge,combine", "split"),
            sides("nearest,closest", "farthest,furthest"),
            sides("today", "tomorrow", "yesterday"),
            sides("indoors", "outdoors"),
            sides("boil,boiling,boiled", "freeze,freezing,frozen", "fry,fried"),
            sides("breakfast", "lunch", "dinner"),
            sides("leap", "regular"),
            sides("basic", "premium"),
            sides("light", "dark"));

    private static List<Set<String>> sides(String... sides) {
        return java.util.Arrays.stream(sides).map(s -> Set.of(s.split(","))).toList();
    }

    /** Sentence-initial words that are not names. */
    private static final Set<String> NOT_NAMES = Set.of(
            "what",
            "what's",
            "how",
            "why",
            "when",
            "where",
            "where's",
            "who",
            "which",
            "is",
            "are",
            "can",
            "could",
            "should",
            "would",
            "will",
            "do",
            "does",
            "did",
            "please",
            "the",
            "a",
            "an",
            "i",
            "my",
            "set",
            "start",
            "show",
            "give",
            "book",
            "send",
            "open",
            "close",
            "convert",
            "translate",
            "schedule",
            "display",
            "reserve",
            "suggest",
            "tell",
            "find",
            "explain",
            "for",
            "at",
            "in",
            "on",
            "it",
            "this",
            "that",
            "there",
            "we",
            "you",
            "am",
            "isn't",
            "doesn't",
            "don't",
            "was");

    private MeaningGuard() {}

    /** Empty when both questions agree on every meaning-bearing word; else what differs. */
    static Optional<String> difference(String cached, String asked) {
        Features a = Features.of(cached);
        Features b = Features.of(asked);
        if (a.negated() != b.negated()) {
            return Optional.of("negation");
        }
        if (!a.numbers().equals(b.numbers())) {
            return Optional.of("number");
        }
        if (!a.quoted().equals(b.quoted())) {
            return Optional.of("quoted text");
        }
        if (!a.names().equals(b.names())) {
            return Optional.of("entity");
        }
        for (List<Set<String>> group : OPPOSITES) {
            Set<Integer> sidesA = leaning(a.words(), group);
            Set<Integer> sidesB = leaning(b.words(), group);
            if (!sidesA.isEmpty() && !sidesB.isEmpty() && !sidesA.equals(sidesB)) {
                return Optional.of("antonym");
            }
        }
        return Optional.empty();
    }

    /** The sides of a group that a question's words fall on. */
    private static Set<Integer> leaning(Set<String> words, List<Set<String>> group) {
        Set<Integer> sides = new HashSet<>();
        for (int i = 0; i < group.size(); i++) {
            for (String word : group.get(i)) {
                if (words.contains(word)) {
                    sides.add(i);
                }
            }
        }
        return sides;
    }

    private record Features(
            Set<String> words, boolean negated, Set<String> numbers, Set<String> quoted, Set<String> names) {
        static Features of(String text) {
            Set<String> quoted = new HashSet<>();
            Matcher q = QUOTED.matcher(text);
            while (q.find()) {
                for (int g = 1; g <= q.groupCount(); g++) {
                    if (q.group(g) != null) {
                        quoted.add(q.group(g).strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
            Set<String> numbers = new HashSet<>();
            Matcher n = NUMBER.matcher(text);
            while (n.find()) {
                numbers.add(n.group().replaceAll("\\s+", "").toLowerCase(Locale.ROOT));
            }
            Set<String> words = new HashSet<>();
            Set<String> names = new HashSet<>();
            boolean negated = false;
            boolean sentenceStart = true;
            Matcher w = WORD.matcher(text);
            int last = 0;
            while (w.find()) {
                String between = text.substring(last, w.start());
                if (between.matches(".*[.!?]\\s*")) {
                    sentenceStart = true;
                }
                last = w.end();
                String raw = w.group().replace('’', '\'');
                String word = raw.toLowerCase(Locale.ROOT);
                String base = word.endsWith("'s") ? word.substring(0, word.length() - 2) : word;
                words.add(base);
                if (NEGATIONS.contains(word) || word.endsWith("n't")) {
                    negated = true;
                }
                if (NUMBER_WORDS.contains(word)) {
                    numbers.add(word);
                }
                boolean capitalised = Character.isUpperCase(raw.charAt(0))
                        || raw.chars().skip(1).anyMatch(Character::isUpperCase);
                if (capitalised && !word.equals("i") && !(sentenceStart && NOT_NAMES.contains(word))) {
                    names.add(base);
                }
                sentenceStart = false;
            }
            return new Features(words, negated, numbers, quoted, names);
        }
    }
}
