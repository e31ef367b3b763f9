package dev.jerry.knowledge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one writer of a chunk collection, made per run: it embeds a document's chunks in batches, writes them to Chroma
 * in larger batches, then the ledger records of the files they complete, and only then deletes the chunks of those
 * files' earlier versions. Until its record is written a file's new chunks do not count, so a run stopped at any
 * point leaves nothing searchable without its file record, and the chunks an earlier run left stay searchable.
 */
public final class KnowledgeWriter {
    /** Chunks embedded at once: what the embedding model handles efficiently. */
    public static final int EMBED_BATCH = 32;
    /** Chunks written to Chroma at once: each write has a fixed cost, so fewer, larger writes. */
    public static final int WRITE_BATCH = 256;
    /** The metadata key of the chunker version on chunks. */
    public static final String CHUNKER_KEY = "chunker";

    private record Embedded(KnowledgeChunk chunk, float[] vector) {}

    private final KnowledgeStore store;
    private final ChromaClient chroma;
    private final ChromaClient.Collection chunks;
    private final FileLedger ledger;
    private final String chunker;

    private final List<KnowledgeChunk> toEmbed = new ArrayList<>();
    private final List<Embedded> toWrite = new ArrayList<>();
    private final Map<String, FileLedger.DocumentVector> vectors = new HashMap<>();
    private final List<FileLedger.Entry> completed = new ArrayList<>();
    private long deleted;
    private long embeddingNanos;
    private long writingNanos;

    /**
     * Opens collection {@code name} for writing (refused if built with another embedding model) and its ledger.
     *
     * @param chunker the version of the chunker that cut what this run writes
     */
    public KnowledgeWriter(KnowledgeStore store, String name, String chunker) {
        this.store = store;
        this.chroma = store.chroma();
        this.chunks = store.openForWriting(name);
        this.ledger = store.ledgerForWriting(chunks);
        this.chunker = chunker;
    }

    public FileLedger ledger() {
        return ledger;
    }

    /** Adds a chunk of the current document; returns whether a batch was embedded (a moment to show progress). */
    public boolean add(KnowledgeChunk chunk) {
        toEmbed.add(chunk);
        if (toEmbed.size() < EMBED_BATCH) {
            return false;
        }
        embed();
        flush(false);
        return true;
    }

    /** The current document's chunks are all added: its record is written with the next write, after them. */
    public void complete(String source, String hash, int chunkCount) {
        embed();
        FileLedger.DocumentVector vector = vectors.remove(source);
        float[] documentVector =
                vector == null ? store.embeddings().embed(List.of(source)).getFirst() : vector.vector();
        completed.add(new FileLedger.Entry(
                new FileLedger.FileRecord(source, hash, chunker, chunkCount, Instant.now()), documentVector));
        flush(false);
    }

    /** The current document failed midway: what is not written of it is dropped; what is written does not count. */
    public void abandon(String source) {
        toEmbed.clear();
        toWrite.removeIf(e -> e.chunk().source().equals(source));
        vectors.remove(source);
    }

    /** Writes everything still waiting, with the records of the files it completes. */
    public void finish() {
        embed();
        flush(true);
    }

    /** Deletes a document's ledger record, then its chunks; returns how many chunks there were. */
    public int forget(String source) {
        ledger.forget(source);
        ChromaClient.Where where = ChromaClient.Where.eq("source", source);
        int count = 0;
        List<ChromaClient.Record> page;
        while (!(page = chroma.get(chunks, where, null, false, ChromaClient.PAGE, 0)).isEmpty()) {
            chroma.deleteIds(chunks, page.stream().map(ChromaClient.Record::id).toList());
            count += page.size();
        }
        deleted += count;
        return count;
    }

    /** Every document with chunks or a ledger record. */
    public Set<String> sources() {
        Set<String> found = new TreeSet<>(ledger.sources());
        chroma.all(chunks, null)
                .forEach(r -> found.add(String.valueOf(r.metadata().get("source"))));
        return found;
    }

    /** After a change that no write announced (a prune): indexes derived from the collection rebuild. */
    public void touch() {
        store.touch(chunks.name());
    }

    public long deleted() {
        return deleted;
    }

    public long embeddingNanos() {
        return embeddingNanos;
    }

    public long writingNanos() {
        return writingNanos;
    }

    private void embed() {
        if (toEmbed.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<float[]> embedded = store.embeddings()
                .embed(toEmbed.stream().map(KnowledgeChunk::embeddedText).toList());
        embeddingNanos += System.nanoTime() - t0;
        for (int i = 0; i < toEmbed.size(); i++) {
            KnowledgeChunk chunk = toEmbed.get(i);
            toWrite.add(new Embedded(chunk, embedded.get(i)));
            vectors.computeIfAbsent(chunk.source(), s -> new FileLedger.DocumentVector())
                    .add(embedded.get(i));
        }
        toEmbed.clear();
    }

    /** Once enough is waiting (or when {@code last}), writes the chunks, then the records of the files they complete. */
    private void flush(boolean last) {
        if (!(last || toWrite.size() >= WRITE_BATCH) || toWrite.isEmpty() && completed.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        chroma.upsert(
                chunks,
                toWrite.stream().map(e -> e.chunk().id()).toList(),
                toWrite.stream().map(Embedded::vector).toList(),
                toWrite.stream().map(e -> e.chunk().text()).toList(),
                toWrite.stream().map(e -> metadata(e.chunk())).toList());
        if (!completed.isEmpty()) {
            ledger.record(completed);
            // only now that the new version counts are the old version's chunks removed
            for (FileLedger.Entry entry : completed) {
                deleted += deleteStale(entry.file());
            }
            // only a file record changes what is searchable (chunks without one do not count)
            store.touch(chunks.name());
        }
        writingNanos += System.nanoTime() - t0;
        toWrite.clear();
        completed.clear();
    }

    /** The metadata of a chunk: its citation, and the chunker that made it. */
    private Map<String, Object> metadata(KnowledgeChunk chunk) {
        Map<String, Object> metadata = chunk.metadata();
        metadata.put(CHUNKER_KEY, chunker);
        return metadata;
    }

    /** Deletes a document's chunks that its new record does not vouch for; returns how many. */
    private int deleteStale(FileLedger.FileRecord file) {
        List<String> stale = chroma.all(chunks, ChromaClient.Where.eq("source", file.source())).stream()
                .filter(r -> !file.hash().equals(r.metadata().get("file_hash"))
                        || !file.chunker().equals(r.metadata().get(CHUNKER_KEY)))
                .map(ChromaClient.Record::id)
                .toList();
        for (int i = 0; i < stale.size(); i += ChromaClient.PAGE) {
            chroma.deleteIds(chunks, stale.subList(i, Math.min(stale.size(), i + ChromaClient.PAGE)));
        }
        return stale.size();
    }
}
