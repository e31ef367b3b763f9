package dev.jerry.model.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judge of a semantic-cache candidate that embeddings rated similar: two questions count as the same only when
 * every content word of one is matched in the other, by the same word, an inflection ("ran"/"run") or a WordNet
 * synonym among the words' common senses, and when numbers, quoted text, code tokens, names and negation agree and
 * the words keep their roles ("from A to B" is not "from B to A"). Anything unexplained is a difference: a missed
 * paraphrase costs one generation, a wrong hit costs a wrong answer.
 */
final class MeaningCheck {
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,:/]\\d+)*");
    private static final Pattern RAW_TOKEN = Pattern.compile("\\S+");
    /** Paths, file names, dotted names, flags, calls, camelCase: compared as they are, never as words. */
    private static final Pattern CODE = Pattern.compile(
            ".*[/\\\\_=<>{}\\[\\]()$#|@].*|.*\\p{L}\\.\\p{L}.*|-{1,2}\\p{L}.*|.*\\p{Ll}\\p{Lu}.*|.*::.*");

    private static final String SENTENCE_END = ".!?";
    private static final Pattern TRAILING = Pattern.compile("[?!.,;:\"'“”]+$");
    private static final Pattern LEADING = Pattern.compile("^[\"'“”(]+");
    private static final Pattern MENTION = Pattern.compile("@\\p{L}+");
    private static final Pattern WRAPPED_QUESTION =
            Pattern.compile("(?:how|what|why|when|where|who|whom|whose|which|if|whether) ");
    private static final Pattern POSSESSIVE = Pattern.compile("'s?$");

    private final Vocabulary words;
    private final Normalizer normalizer;
    private final Lexicon lexicon;

    MeaningCheck(Vocabulary words, Lexicon lexicon) {
        this.words = words;
        this.normalizer = new Normalizer(words);
        this.lexicon = lexicon;
    }

    Normalizer normalizer() {
        return normalizer;
    }

    /** Empty when the questions mean the same; else the first difference found. */
    Optional<Difference> difference(String cached, String asked) {
        Question a = read(cached);
        Question b = read(asked);
        if (!a.quoted().equals(b.quoted())) {
            return Optional.of(Difference.QUOTED);
        }
        if (!b.tokenSet().containsAll(a.code()) || !a.tokenSet().containsAll(b.code())) {
            return Optional.of(Difference.CODE);
        }
        if (!a.numbers().equals(b.numbers())) {
            return Optional.of(Difference.NUMBER);
        }
        if (a.negations() != b.negations()) {
            return Optional.of(Difference.NEGATION);
        }
        int[] partner = align(a, b);
        List<String> onlyA = unmatched(a.words(), partner, true);
        List<String> onlyB = unmatched(b.words(), partner, false);
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            return Optional.of(classify(onlyA, onlyB, a, b));
        }
        if (rolesDiffer(a.words(), b.words(), partner) || !oneBlockMoved(partner)) {
            return Optional.of(Difference.DIRECTION);
        }
        return Optional.empty();
    }

    /** A question broken into what is compared. */
    private record Question(
            List<String> words,
            Set<String> tokenSet,
            Set<String> quoted,
            Set<String> code,
            List<String> numbers,
            int negations,
            Set<String> names) {}

    private Question read(String text) {
        Set<String> quoted = Set.copyOf(Normalizer.quoted(text));
        Set<String> code = new HashSet<>();
        Set<String> names = new HashSet<>();
        long letters = text.chars().filter(Character::isLetter).count();
        long upper = text.chars().filter(Character::isUpperCase).count();
        boolean shouting = upper * 2 > letters;
        boolean sentenceStart = true;
        Matcher t = RAW_TOKEN.matcher(text);
        while (t.find()) {
            String raw = t.group();
            String bare = LEADING.matcher(TRAILING.matcher(raw).replaceAll("")).replaceAll("");
            if (!bare.isEmpty()
                    && CODE.matcher(bare).matches()
                    && !MENTION.matcher(bare).matches()) {
                code.add(Normalizer.flag(bare) ? bare : bare.toLowerCase(Locale.ROOT));
            }
            if (!bare.isEmpty()
                    && !shouting
                    && !sentenceStart
                    && Character.isUpperCase(bare.charAt(0))
                    && !bare.equals("I")
                    && !bare.startsWith("I'")) {
                names.add(POSSESSIVE.matcher(bare.toLowerCase(Locale.ROOT)).replaceAll(""));
            }
            sentenceStart = SENTENCE_END.indexOf(raw.charAt(raw.length() - 1)) >= 0;
        }
        String normalized = " " + normalizer.normalize(text) + " ";
        for (Map.Entry<String, String> phrase : words.phrases()) {
            String wrapped = " " + phrase.getKey() + " ";
            if (phrase.getValue().isEmpty()) {
                // a polite wrapper only at the start and before the question it wraps: "do you know how to ..."
                // is "how to ...", but "do you know python" is not "python"
                if (normalized.startsWith(wrapped)
                        && WRAPPED_QUESTION
                                .matcher(normalized.substring(wrapped.length()))
                                .lookingAt()) {
                    normalized = " " + normalized.substring(wrapped.length());
                }
            } else {
                normalized = normalized.replace(wrapped, " " + phrase.getValue() + " ");
            }
        }
        List<String> numbers = new ArrayList<>();
        List<String> content = new ArrayList<>();
        Set<String> tokenSet = new HashSet<>();
        int negations = 0;
        for (String token : normalized.strip().split("\\s+")) {
            String word = POSSESSIVE.matcher(token).replaceAll("");
            if (word.isEmpty()) {
                continue;
            }
            tokenSet.add(word);
            Matcher n = NUMBER.matcher(word);
            while (n.find()) {
                numbers.add(n.group());
            }
            String value = words.numbers().get(word);
            if (value != null) {
                numbers.add(value);
                word = value;
            }
            if (words.negations().contains(word)) {
                negations++;
            }
            if (!words.functionWords().contains(word)) {
                content.add(word);
            }
        }
        // code tokens as they stand in the normalized text too ("Node.js?" and "node.js")
        tokenSet.addAll(code); // a flag with capitals stays as written: "-a" is not "-A"
        // numbers stay in their order: "from 3 to 5" is not "from 5 to 3"
        return new Question(content, tokenSet, quoted, code, numbers, negations, names);
    }

    /**
     * For each word of {@code a}, the index of its partner in {@code b}, or -1. Same words and inflections first,
     * then synonyms, so that a synonym never takes a word that has its own exact partner.
     */
    private int[] align(Question qa, Question qb) {
        List<String> a = qa.words();
        List<String> b = qb.words();
        int[] partner = new int[a.size()];
        Arrays.fill(partner, -1);
        boolean[] taken = new boolean[b.size()];
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < a.size(); i++) {
                if (partner[i] >= 0) {
                    continue;
                }
                for (int j = 0; j < b.size(); j++) {
                    boolean named = qa.names().contains(a.get(i)) || qb.names().contains(b.get(j));
                    if (!taken[j] && matches(pass, a.get(i), b.get(j), named)) {
                        partner[i] = j;
                        taken[j] = true;
                        break;
                    }
                }
            }
        }
        return partner;
    }

    /** A name ("Java", "Paris") matches only itself: WordNet's synonyms of a name are other things. */
    private boolean matches(int pass, String a, String b, boolean named) {
        return switch (pass) {
            case 0 -> a.equals(b);
            case 1 -> !named && lexicon.sameBase(a, b);
            default -> !named && lexicon.synonyms(a, b);
        };
    }

    private static List<String> unmatched(List<String> words, int[] partner, boolean left) {
        List<String> rest = new ArrayList<>();
        if (left) {
            for (int i = 0; i < words.size(); i++) {
                if (partner[i] < 0) {
                    rest.add(words.get(i));
                }
            }
            return rest;
        }
        Set<Integer> taken = new HashSet<>();
        for (int p : partner) {
            taken.add(p);
        }
        for (int j = 0; j < words.size(); j++) {
            if (!taken.contains(j)) {
                rest.add(words.get(j));
            }
        }
        return rest;
    }

    private Difference classify(List<String> onlyA, List<String> onlyB, Question a, Question b) {
        List<String> all = new ArrayList<>(onlyA);
        all.addAll(onlyB);
        if (all.stream().anyMatch(words.timeWords()::contains)) {
            return Difference.TIME; // before/after and first/last are antonyms too, but time is what differs
        }
        for (String x : onlyA) {
            for (String y : onlyB) {
                if (lexicon.antonyms(x, y) || prefixedOpposite(x, y) || prefixedOpposite(y, x)) {
                    return Difference.ANTONYM;
                }
            }
        }
        if (onlyA.stream().anyMatch(w -> a.names().contains(w) || lexicon.name(w))
                || onlyB.stream().anyMatch(w -> b.names().contains(w) || lexicon.name(w))) {
            return Difference.ENTITY;
        }
        if (onlyA.isEmpty() || onlyB.isEmpty() || all.stream().anyMatch(words.scopeWords()::contains)) {
            return Difference.SCOPE;
        }
        return Difference.WORD;
    }

    /** "lock"/"unlock", "enable"/"disable", "install"/"uninstall": English negating prefixes. */
    private static boolean prefixedOpposite(String word, String other) {
        for (String prefix : List.of("un", "dis", "de", "in", "im", "il", "ir", "non")) {
            if (other.equals(prefix + word)) {
                return true;
            }
        }
        return word.startsWith("en") && other.equals("dis" + word.substring(2));
    }

    /**
     * The word after each role word ("from", "to", "into", "than", "not") must be the same word in both questions.
     */
    private boolean rolesDiffer(List<String> a, List<String> b, int[] partner) {
        int[] back = new int[b.size()];
        for (int i = 0; i < partner.length; i++) {
            back[partner[i]] = i;
        }
        for (String role : words.roles()) {
            List<Integer> afterA = new ArrayList<>();
            List<Integer> afterB = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).equals(role)) {
                    afterA.add(next(a, i));
                }
            }
            for (int j = 0; j < b.size(); j++) {
                if (b.get(j).equals(role)) {
                    int n = next(b, j);
                    afterB.add(n < 0 ? -1 : back[n]);
                }
            }
            if (!afterA.isEmpty() && !afterB.isEmpty() && !afterA.equals(afterB)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the next word after {@code i} that is not itself a role word, or -1. */
    private int next(List<String> words, int i) {
        for (int k = i + 1; k < words.size(); k++) {
            if (!this.words.roles().contains(words.get(k)) && !words.get(k).equals("of")) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Whether the asked question's word order is the cached one's, or the cached one's with one stretch of words
     * moved ("in Python, how do I ..." / "how do I ... in Python"). Two swapped words with others between them
     * ("can a tenant sue a landlord" / "can a landlord sue a tenant") need two moves.
     */
    static boolean oneBlockMoved(int[] partner) {
        int n = partner.length;
        int[] order = new int[n]; // order[j] = index in a of the j-th matched word of b
        int[] byB = partner.clone();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Integer.compare(byB[x], byB[y]));
        for (int j = 0; j < n; j++) {
            order[j] = idx[j];
        }
        // a single move leaves at most 4 runs of consecutive words: try only cuts at the runs' edges
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(0, n));
        int breaks = 0;
        for (int j = 0; j < n; j++) {
            if (j == 0 || order[j] != order[j - 1] + 1) {
                cuts.add(order[j]);
                breaks += j == 0 ? 0 : 1;
            }
            if (j == n - 1 || order[j + 1] != order[j] + 1) {
                cuts.add(order[j] + 1);
            }
        }
        if (breaks == 0) {
            return true;
        }
        if (breaks > 3) {
            return false;
        }
        List<Integer> at = List.copyOf(cuts);
        for (int a = 0; a < at.size(); a++) {
            for (int b = a + 1; b < at.size(); b++) {
                for (int c = b + 1; c < at.size(); c++) {
                    if (isMove(order, at.get(a), at.get(b), at.get(c))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether order is identity with the blocks [i, j) and [j, k) swapped. */
    private static boolean isMove(int[] order, int i, int j, int k) {
        int pos = 0;
        for (int x = 0; x < i; x++) {
            if (order[pos++] != x) {
                return false;
            }
        }
        for (int x = j; x < k; x++) {
            if (order[pos++] != x) {
                return false;
            }
        }
        for (int x = i; x < j; x++) {
            if (order[pos++] != x) {
                return false;
            }
        }
        for (int x = k; x < order.length; x++) {
            if (order[pos++] != x) {
                return false;
            }
        }
        return true;
    }
}
