package dev.jerry.knowledge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file hash each file record of a collection vouches for, read from Chroma once per content version of the
 * collection (the ingestion job stamps a new one after every write of chunks or file records), so a search need not
 * ask Chroma for the file records every time. A collection never stamped is read every time.
 */
final class FileHashes {
    private static final String UNSTAMPED = "-";

    private record Snapshot(String version, Map<String, Object> hashes) {}

    private final KnowledgeStore store;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    FileHashes(KnowledgeStore store) {
        this.store = store;
    }

    /** Source → file hash, as the file records were at the collection's {@code version}. */
    Map<String, Object> at(String collection, String version) {
        Snapshot snapshot = snapshots.get(collection);
        if (snapshot != null && snapshot.version().equals(version) && !version.equals(UNSTAMPED)) {
            return snapshot.hashes();
        }
        Map<String, Object> hashes = read(collection);
        snapshots.put(collection, new Snapshot(version, hashes));
        return hashes;
    }

    /** The records whose file record vouches for them (same file hash). */
    List<ChromaClient.Record> vouched(String collection, String version, List<ChromaClient.Record> chunks) {
        if (chunks.isEmpty()) {
            return chunks;
        }
        return vouchedBy(at(collection, version), chunks);
    }

    /** The chunks whose file hash is the one {@code hashes} (recorded hash by source) holds for their source. */
    static List<ChromaClient.Record> vouchedBy(Map<String, ?> hashes, List<ChromaClient.Record> chunks) {
        return chunks.stream()
                .filter(r -> {
                    Object recorded = hashes.get(String.valueOf(r.metadata().get("source")));
                    return recorded != null && recorded.equals(r.metadata().get("file_hash"));
                })
                .toList();
    }

    private Map<String, Object> read(String collection) {
        return store.ledger(collection)
                .<Map<String, Object>>map(ledger -> {
                    Map<String, Object> hashes = new HashMap<>();
                    ledger.hashes().forEach((source, hash) -> {
                        if (hash != null) {
                            hashes.put(source, hash);
                        }
                    });
                    return Map.copyOf(hashes);
                })
                .orElse(Map.of());
    }

    static String version(ChromaClient.Collection collection) {
        return String.valueOf(collection.metadata().getOrDefault(KnowledgeStore.CONTENT_VERSION_KEY, UNSTAMPED));
    }
}
