package dev.jerry.knowledge;

import dev.jerry.knowledge.lexical.LexicalIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lexical indexes of the collections this process searches, each derived from Chroma (the one source of truth)
 * and tagged with the collection's content fingerprint: the content version the ingestion job stamps on the collection
 * after every write, and the chunk count. A search over a collection whose fingerprint moved starts a rebuild in the
 * background and meanwhile uses the index it has; lexical hits are only ids, confirmed against Chroma before they
 * are returned, so a stale index can miss a new chunk for a moment but never return a deleted one. Several rag-service
 * processes each derive their own index the same way and agree.
 */
public final class LexicalIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LexicalIndexes.class);
    private static final int PAGE = 1000;
    /** Background rebuilds of one collection start at most this often: a long ingestion run writes every few seconds. */
    private static final long MIN_REBUILD_INTERVAL_NANOS = 10_000_000_000L;

    private final KnowledgeStore store;
    private final Map<String, LexicalIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> building = new ConcurrentHashMap<>();
    private final Map<String, Long> builtAt = new ConcurrentHashMap<>();
    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lexical-index");
        t.setDaemon(true);
        return t;
    });

    public LexicalIndexes(KnowledgeStore store) {
        this.store = store;
    }

    /**
     * The index to search for this collection: built now if there is none yet, else the one at hand (a rebuild
     * starts in the background when the collection changed since).
     */
    public LexicalIndex forSearch(ChromaClient.Collection collection) {
        String fingerprint = fingerprint(collection);
        LexicalIndex index = indexes.get(collection.name());
        if (index == null) {
            return current(collection.name());
        }
        Long built = builtAt.get(collection.name());
        boolean due = built == null || System.nanoTime() - built >= MIN_REBUILD_INTERVAL_NANOS;
        if (!index.version().equals(fingerprint) && due && building.putIfAbsent(collection.name(), true) == null) {
            builder.execute(() -> {
                try {
                    rebuild(collection.name());
                } catch (RuntimeException e) {
                    log.warn(
                            "rebuilding the lexical index of '{}' failed; will retry on the next search",
                            collection.name(),
                            e);
                } finally {
                    building.remove(collection.name());
                }
            });
        }
        return index;
    }

    /** The index of a collection at its current content, rebuilt now (blocking) if it is not. */
    public LexicalIndex current(String name) {
        synchronized (this) {
            ChromaClient.Collection collection = store.openForReading(name);
            LexicalIndex index = indexes.get(name);
            if (index != null && index.version().equals(fingerprint(collection))) {
                return index;
            }
            return rebuild(name);
        }
    }

    /** Builds the index from every vouched chunk in Chroma; the fingerprint is read first, so a write meanwhile shows. */
    private LexicalIndex rebuild(String name) {
        long start = System.nanoTime();
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection collection = store.openForReading(name);
        String fingerprint = fingerprint(collection);
        Map<String, String> hashes = store.ledger(name).map(FileLedger::hashes).orElse(Map.of());
        List<LexicalIndex.Entry> entries = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            List<ChromaClient.Record> page = chroma.get(collection, null, null, true, PAGE, offset);
            for (ChromaClient.Record r : page) {
                String source = String.valueOf(r.metadata().get("source"));
                Object hash = hashes.get(source);
                if (hash != null && hash.equals(r.metadata().get("file_hash")) && r.document() != null) {
                    entries.add(new LexicalIndex.Entry(
                            r.id(), KnowledgeChunk.indexedText(r), source, LexicalIndex.tags(r.metadata())));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        LexicalIndex index = LexicalIndex.build(fingerprint, entries);
        LexicalIndex old = indexes.put(name, index);
        builtAt.put(name, System.nanoTime());
        log.info(
                "lexical index of '{}' built from Chroma: {} chunks in {} ms",
                name,
                entries.size(),
                (System.nanoTime() - start) / 1_000_000);
        if (old != null) {
            // searches still holding the old one finish first: Lucene readers stay usable until closed; leave it to GC
            log.debug("replaced lexical index {} of '{}'", old.version(), name);
        }
        return index;
    }

    /** The content version and the chunk count; the count is asked once per stamped version (a search less). */
    private String fingerprint(ChromaClient.Collection collection) {
        String version = FileHashes.version(collection);
        String known = fingerprints.get(collection.name());
        if (known != null && !version.equals("-") && known.startsWith(version + "/")) {
            return known;
        }
        String fingerprint = version + "/" + store.chroma().count(collection);
        fingerprints.put(collection.name(), fingerprint);
        return fingerprint;
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }
}
