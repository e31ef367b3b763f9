package dev.jerry.knowledge;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The file ledger of a chunk collection: one record per completely ingested file (content hash, the chunker that cut
 * it, chunk count, time), in the companion collection {@code NAME.ledger}. A chunk counts as knowledge only while its
 * file hash is the one recorded here, so chunks of a run stopped midway are never searchable.
 *
 * <p>Chroma keeps no record without a vector, so a file record carries the file's own document vector: the normalized
 * mean of its chunks' vectors. The writer already holds those vectors, so it costs no embedding, and it is a true
 * point of the collection's embedding space (nothing in the index is a placeholder).
 *
 * <p>The release before kept these records in {@code NAME.files} with a 1-dimensional placeholder vector. Readers still
 * use that one while it is the only ledger; the first write migrates it: a copy into {@code NAME.ledger-migrating}
 * (vectors averaged from the chunks stored in Chroma), renamed to {@code NAME.ledger} once complete, then the old one
 * deleted. A migration stopped midway leaves the old ledger in charge and is redone by the next write.
 */
public final class FileLedger {
    public static final String SUFFIX = ".ledger";
    public static final String MIGRATING_SUFFIX = ".ledger-migrating";
    /** The ledger of the release before (placeholder vectors), read until migrated. */
    public static final String LEGACY_SUFFIX = ".files";
    /** The chunker version of records written before versions were recorded. */
    static final String FIRST_CHUNKER = "1";

    private static final String HASH_KEY = "file_hash";
    private static final String CHUNKER_KEY = "chunker";
    private static final String CHUNKS_KEY = "chunks";
    private static final String TIME_KEY = "ingested_at";

    /** What the ledger says of a file. */
    public record FileRecord(String source, String hash, String chunker, int chunks, Instant ingestedAt) {}

    /** A file record to write, with the file's document vector. */
    public record Entry(FileRecord file, float[] vector) {}

    private final ChromaClient chroma;
    private final ChromaClient.Collection records;

    private FileLedger(ChromaClient chroma, ChromaClient.Collection records) {
        this.chroma = chroma;
        this.records = records;
    }

    /** Whether a collection holds a ledger (any generation) rather than chunks. */
    public static boolean isLedger(String collection) {
        return collection.endsWith(SUFFIX)
                || collection.endsWith(MIGRATING_SUFFIX)
                || collection.endsWith(LEGACY_SUFFIX);
    }

    /** The ledger of chunk collection {@code name} for reading, if any file was ever recorded. */
    static Optional<FileLedger> forReading(ChromaClient chroma, String name) {
        return chroma.collection(name + SUFFIX)
                .or(() -> chroma.collection(name + LEGACY_SUFFIX))
                .map(c -> new FileLedger(chroma, c));
    }

    /** The ledger of {@code chunks} for writing: created if missing, migrated first if the old one is there. */
    static FileLedger forWriting(ChromaClient chroma, ChromaClient.Collection chunks, EmbeddingSource embeddings) {
        String name = chunks.name();
        Optional<ChromaClient.Collection> legacy = chroma.collection(name + LEGACY_SUFFIX);
        Optional<ChromaClient.Collection> current = chroma.collection(name + SUFFIX);
        if (current.isEmpty() && legacy.isPresent()) {
            current = Optional.of(migrate(chroma, chunks, legacy.get(), embeddings));
        }
        // the old ledger goes only once the new one is complete (a migration stopped after its rename ends here)
        legacy.ifPresent(c -> chroma.deleteCollection(c.name()));
        return new FileLedger(chroma, current.orElseGet(() -> create(chroma, name + SUFFIX, embeddings)));
    }

    private static ChromaClient.Collection create(ChromaClient chroma, String name, EmbeddingSource embeddings) {
        return chroma.getOrCreate(
                name,
                Map.of(
                        "kind",
                        "ledger",
                        KnowledgeStore.MODEL_KEY,
                        embeddings.id(),
                        KnowledgeStore.DIMENSION_KEY,
                        embeddings.dimension()));
    }

    private static ChromaClient.Collection migrate(
            ChromaClient chroma,
            ChromaClient.Collection chunks,
            ChromaClient.Collection legacy,
            EmbeddingSource embeddings) {
        String name = chunks.name();
        chroma.collection(name + MIGRATING_SUFFIX).ifPresent(c -> chroma.deleteCollection(c.name()));
        FileLedger copy = new FileLedger(chroma, create(chroma, name + MIGRATING_SUFFIX, embeddings));
        List<Entry> entries = new ArrayList<>();
        for (ChromaClient.Record r : chroma.all(legacy, null)) {
            FileRecord file = fileRecord(r);
            entries.add(new Entry(file, storedVector(chroma, chunks, file, embeddings)));
            if (entries.size() >= ChromaClient.PAGE) {
                copy.record(entries);
                entries.clear();
            }
        }
        copy.record(entries);
        chroma.rename(copy.records, name + SUFFIX);
        return chroma.collection(name + SUFFIX).orElseThrow();
    }

    /** The mean vector of a file's chunks as stored; a file whose chunks are gone gets its name's embedding. */
    private static float[] storedVector(
            ChromaClient chroma, ChromaClient.Collection chunks, FileRecord file, EmbeddingSource embeddings) {
        DocumentVector mean = new DocumentVector();
        ChromaClient.Where where = ChromaClient.Where.all(
                List.of(ChromaClient.Where.eq("source", file.source()), ChromaClient.Where.eq(HASH_KEY, file.hash())));
        for (int offset = 0; ; offset += ChromaClient.PAGE) {
            List<ChromaClient.Record> page = chroma.getWithEmbeddings(chunks, where, ChromaClient.PAGE, offset);
            page.forEach(r -> mean.add(r.embedding()));
            if (page.size() < ChromaClient.PAGE) {
                break;
            }
        }
        return mean.isEmpty() ? embeddings.embed(List.of(file.source())).getFirst() : mean.vector();
    }

    /** The record of {@code source}, if the file was completely ingested once. */
    public Optional<FileRecord> find(String source) {
        return chroma.get(records, null, List.of(source), false, 1, 0).stream()
                .findFirst()
                .map(FileLedger::fileRecord);
    }

    /** The recorded content hash of each of {@code sources} that has a record. */
    public Map<String, String> hashes(List<String> sources) {
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < sources.size(); i += ChromaClient.PAGE) {
            List<String> part = sources.subList(i, Math.min(sources.size(), i + ChromaClient.PAGE));
            chroma.get(records, null, part, false, part.size(), 0).forEach(r -> hashes.put(r.id(), hash(r)));
        }
        return hashes;
    }

    /** The recorded content hash of every recorded file. */
    public Map<String, String> hashes() {
        Map<String, String> hashes = new HashMap<>();
        chroma.all(records, null).forEach(r -> hashes.put(r.id(), hash(r)));
        return hashes;
    }

    /** Every recorded file. */
    public Set<String> sources() {
        Set<String> sources = new TreeSet<>();
        chroma.all(records, null).forEach(r -> sources.add(r.id()));
        return sources;
    }

    /** Writes (or replaces) these files' records. */
    public void record(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        chroma.upsert(
                records,
                entries.stream().map(e -> e.file().source()).toList(),
                entries.stream().map(Entry::vector).toList(),
                entries.stream().map(e -> e.file().source()).toList(),
                entries.stream().map(e -> metadata(e.file())).toList());
    }

    /** Removes the record of {@code source}: its chunks no longer count. */
    public void forget(String source) {
        chroma.deleteIds(records, List.of(source));
    }

    private static Map<String, Object> metadata(FileRecord file) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(HASH_KEY, file.hash());
        metadata.put(CHUNKER_KEY, file.chunker());
        metadata.put(CHUNKS_KEY, file.chunks());
        metadata.put(TIME_KEY, file.ingestedAt().toString());
        return metadata;
    }

    private static String hash(ChromaClient.Record r) {
        return String.valueOf(r.metadata().get(HASH_KEY));
    }

    private static FileRecord fileRecord(ChromaClient.Record r) {
        Map<String, Object> m = r.metadata();
        return new FileRecord(
                r.id(),
                hash(r),
                String.valueOf(m.getOrDefault(CHUNKER_KEY, FIRST_CHUNKER)),
                m.get(CHUNKS_KEY) instanceof Number n ? n.intValue() : -1,
                m.get(TIME_KEY) instanceof String t ? instant(t) : Instant.EPOCH);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // a time is only shown, never decided on
        }
    }

    /** A file's document vector: the normalized mean of its chunks' vectors, added as they are embedded. */
    public static final class DocumentVector {
        private double[] sum;

        public void add(float[] vector) {
            if (sum == null) {
                sum = new double[vector.length];
            }
            for (int i = 0; i < vector.length; i++) {
                sum[i] += vector[i];
            }
        }

        public boolean isEmpty() {
            return sum == null;
        }

        /** The mean's direction (cosine space: its length says nothing). */
        public float[] vector() {
            double norm = 0;
            for (double v : sum) {
                norm += v * v;
            }
            norm = norm == 0 ? 1 : Math.sqrt(norm);
            float[] vector = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                vector[i] = (float) (sum[i] / norm);
            }
            return vector;
        }
    }
}
