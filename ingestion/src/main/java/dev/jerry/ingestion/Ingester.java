package dev.jerry.ingestion;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.knowledge.document.Sections;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Documents to chunks to embeddings to Chroma, idempotent and resumable. A file counts as ingested only once its file
 * record (content hash, chunker version, chunk count) is written, after all its chunks; a chunk counts only while its
 * file hash is the one recorded (the {@link dev.jerry.knowledge.Retriever} checks), so chunks of a run stopped midway are
 * never searchable. An unchanged file is skipped; a new, changed, half-ingested or old-chunker one is read first, its
 * new chunks written (same ids for the same content, so nothing duplicates), its record replaced, and only then its
 * stale chunks deleted. A file that cannot be read keeps what it had: it is reported as failed, never deleted.
 */
public final class Ingester {
    /** Chunks embedded at once: what the embedding model handles efficiently. */
    static final int BATCH = 32;
    /** Chunks written to Chroma at once: each write has a fixed cost, so fewer, larger writes. */
    static final int WRITE_BATCH = 256;
    /** The metadata key of the chunker version, on chunks and file records. */
    static final String CHUNKER_KEY = "chunker";

    public record Options(String collection, boolean dryRun, boolean prune, List<String> tags) {}

    public record Failure(String source, String reason) {}

    /** What a file record says: the content hash and the chunker that made its chunks. */
    private record Recorded(String hash, String chunker) {}

    /**
     * Where a run's time went: reading and chunking (what was not hidden behind embedding by the read-ahead),
     * embedding, writing to Chroma.
     */
    public record Timings(long pages, long readingNanos, long embeddingNanos, long writingNanos) {
        public String shares() {
            double total = Math.max(1, readingNanos + embeddingNanos + writingNanos);
            return String.format(
                    "%.0f %% reading, %.0f %% embedding, %.0f %% writing",
                    100 * readingNanos / total, 100 * embeddingNanos / total, 100 * writingNanos / total);
        }
    }

    public record Summary(
            int seen,
            int added,
            int changed,
            int unchanged,
            List<Failure> failed,
            int pruned,
            long chunksUpserted,
            long chunksDeleted,
            Duration took,
            Timings timings) {
        boolean nothingDone() {
            return seen == 0 || failed.size() == seen;
        }
    }

    /** Progress of a run: a bar on a terminal, log lines otherwise. */
    public interface Listener {
        void started(int files);

        void file(String source, int pages);

        void page(int page, int chunks);

        /** Chunks of a document embedded so far, out of its total; called after each batch. */
        default void embedded(String source, int done, int total) {}

        void done(String source, String outcome);
    }

    private final KnowledgeStore store;
    private final DocumentReader reader;
    private final Chunker chunker;
    private final Listener listener;

    private long pages;
    private long readingNanos;
    private long embeddingNanos;
    private long writingNanos;

    public Ingester(KnowledgeStore store, DocumentReader reader, Chunker chunker, Listener listener) {
        this.store = store;
        this.reader = reader;
        this.chunker = chunker;
        this.listener = listener;
    }

    public Summary run(List<DocumentFinder.Found> documents, Options options) {
        return run(new DocumentFinder.Discovery(documents, List.of(), 0, Set.of()), options);
    }

    /** Ingests what was found; {@code --prune} removes only documents the discovery knows to be gone. */
    public Summary run(DocumentFinder.Discovery discovery, Options options) {
        List<DocumentFinder.Found> documents = discovery.found();
        long start = System.nanoTime();
        deleted = 0;
        pages = 0;
        readingNanos = 0;
        embeddingNanos = 0;
        writingNanos = 0;
        ChromaClient chroma = store.chroma();
        Optional<ChromaClient.Collection> chunks;
        Optional<ChromaClient.Collection> files;
        if (options.dryRun()) {
            chunks = chroma.collection(options.collection()).map(c -> store.openForReading(options.collection()));
            files = store.existingFiles(options.collection());
        } else {
            chunks = Optional.of(store.openForWriting(options.collection()));
            files = Optional.of(store.files(options.collection()));
        }
        int added = 0;
        int changed = 0;
        int unchanged = 0;
        long upserted = 0;
        List<Failure> failed = new ArrayList<>();
        listener.started(documents.size());
        // the next document is read and chunked on a second thread while this one is embedded
        ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-read-ahead");
            t.setDaemon(true);
            return t;
        });
        try {
            Plan next = plan(documents, 0, chroma, files, options, ahead);
            for (int i = 0; i < documents.size(); i++) {
                Plan plan = next;
                next = plan(documents, i + 1, chroma, files, options, ahead);
                DocumentFinder.Found doc = plan.doc();
                String outcome;
                try {
                    if (plan.hashError() != null) {
                        throw plan.hashError();
                    }
                    if (plan.unchanged()) {
                        outcome = "unchanged";
                    } else {
                        outcome = plan.recorded().isEmpty()
                                ? "new"
                                : plan.recorded().get().hash().equals(plan.hash())
                                        ? "changed (chunked anew: made by an older chunker)"
                                        : "changed";
                        if (!options.dryRun()) {
                            upserted += write(plan, chunks.orElseThrow(), files.orElseThrow(), options.tags());
                        }
                    }
                    if (outcome.equals("unchanged")) {
                        unchanged++;
                    } else if (outcome.startsWith("changed")) {
                        changed++;
                    } else {
                        added++;
                    }
                } catch (DocumentReader.Unreadable | IOException e) {
                    String reason =
                            e instanceof IOException io ? "cannot read: " + Printable.reason(io) : e.getMessage();
                    // nothing of it was written: whatever an earlier run stored of it stays, as it was
                    failed.add(new Failure(doc.source(), reason));
                    outcome = plan.recorded().isPresent()
                            ? "failed: " + reason + " (its earlier chunks are kept)"
                            : "failed: " + reason;
                }
                listener.done(doc.source(), outcome);
            }
        } finally {
            ahead.shutdownNow();
        }
        if (!options.dryRun()) {
            flush(chunks.orElseThrow(), files.orElseThrow(), new ArrayList<>(), true);
        }
        int pruned = 0;
        if (options.prune() && !options.dryRun()) {
            for (String known : knownSources(chroma, chunks.orElseThrow(), files.orElseThrow())) {
                if (discovery.gone(known)) {
                    deleted += forget(chroma, chunks.orElseThrow(), files.orElseThrow(), known);
                    pruned++;
                }
            }
            if (pruned > 0) {
                store.touch(options.collection());
            }
        }
        return new Summary(
                documents.size(),
                added,
                changed,
                unchanged,
                failed,
                pruned,
                upserted,
                deleted,
                Duration.ofNanos(System.nanoTime() - start),
                new Timings(pages, readingNanos, embeddingNanos, writingNanos));
    }

    /** A document to process: its hash, what Chroma has recorded of it, and its content being read ahead. */
    private record Plan(
            DocumentFinder.Found doc,
            String hash,
            String chunker,
            Optional<Recorded> recorded,
            IOException hashError,
            Future<ReadDocument> content) {
        /** Chroma holds this very content already, cut by this very chunker. */
        boolean unchanged() {
            return recorded.isPresent()
                    && recorded.get().hash().equals(hash)
                    && recorded.get().chunker().equals(chunker);
        }
    }

    /** A document read and chunked, page by page. */
    private record ReadDocument(String title, List<ReadPage> pages) {
        int chunks() {
            return pages.stream().mapToInt(p -> p.pieces().size()).sum();
        }
    }

    private record ReadPage(int number, List<ReadChunk> pieces) {}

    /** A chunk's text and the section path it belongs to (null when the document has no structure). */
    private record ReadChunk(String text, String section) {}

    /** Hashes document {@code i} and, when it must be written, starts reading it ahead; null past the end. */
    private Plan plan(
            List<DocumentFinder.Found> documents,
            int i,
            ChromaClient chroma,
            Optional<ChromaClient.Collection> files,
            Options options,
            ExecutorService ahead) {
        if (i >= documents.size()) {
            return null;
        }
        DocumentFinder.Found doc = documents.get(i);
        String hash;
        try {
            hash = sha256(doc.file());
        } catch (IOException e) {
            return new Plan(
                    doc, null, chunker.version(), files.flatMap(f -> recorded(chroma, f, doc.source())), e, null);
        }
        Plan plan = new Plan(
                doc, hash, chunker.version(), files.flatMap(f -> recorded(chroma, f, doc.source())), null, null);
        if (plan.unchanged() || options.dryRun()) {
            return plan;
        }
        return new Plan(doc, hash, plan.chunker(), plan.recorded(), null, ahead.submit(() -> read(doc.file())));
    }

    private ReadDocument read(Path file) throws DocumentReader.Unreadable, IOException {
        List<ReadPage> pages = new ArrayList<>();
        long textChars = 0;
        try (DocumentReader.Document document = reader.open(file)) {
            Sections.Heading section = null;
            for (int number = 1; number <= document.pages(); number++) {
                DocumentReader.Page page = document.page(number);
                textChars += page.text().strip().length();
                List<ReadChunk> chunks = new ArrayList<>();
                // chunks never cross a section: each run of one section is chunked on its own
                for (Sections.Piece piece : document.pieces(page, section)) {
                    String path =
                            piece.section() == null ? null : piece.section().joined();
                    chunker.chunks(piece.text()).forEach(text -> chunks.add(new ReadChunk(text, path)));
                }
                section = document.after(number, section);
                pages.add(new ReadPage(page.number(), chunks));
            }
            if (textChars == 0) {
                throw new DocumentReader.Unreadable("no extractable text (scanned images? OCR is not supported)");
            }
            return new ReadDocument(document.title(), pages);
        }
    }

    /** The document read ahead; the time spent waiting for it counts as reading. */
    private ReadDocument content(Plan plan) throws DocumentReader.Unreadable, IOException {
        long t0 = System.nanoTime();
        try {
            return plan.content().get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case DocumentReader.Unreadable u -> throw u;
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while reading " + plan.doc().source(), e);
        } finally {
            readingNanos += System.nanoTime() - t0;
        }
    }

    /**
     * Embeds one document's chunks in batches; they are written with the next write, followed by its file record.
     * Returns the number of chunks.
     */
    private int write(Plan plan, ChromaClient.Collection chunks, ChromaClient.Collection files, List<String> tags)
            throws DocumentReader.Unreadable, IOException {
        DocumentFinder.Found doc = plan.doc();
        ReadDocument document = content(plan);
        List<KnowledgeChunk> batch = new ArrayList<>();
        int mark = unwritten.size();
        int index = 0;
        try {
            listener.file(doc.source(), document.pages().size());
            for (ReadPage page : document.pages()) {
                pages++;
                for (ReadChunk piece : page.pieces()) {
                    batch.add(KnowledgeChunk.of(
                            doc.source(),
                            page.number(),
                            document.title(),
                            index++,
                            piece.text(),
                            plan.hash(),
                            tags,
                            piece.section()));
                    if (batch.size() >= BATCH) {
                        mark = flush(chunks, files, batch, false) ? 0 : mark;
                        listener.embedded(doc.source(), index, document.chunks());
                    }
                }
                listener.page(page.number(), page.pieces().size());
            }
        } catch (RuntimeException e) {
            // drop what is buffered of this document; what was already written of it does not count without its record
            unwritten
                    .subList(Math.min(mark, unwritten.size()), unwritten.size())
                    .clear();
            unwrittenVectors
                    .subList(Math.min(mark, unwrittenVectors.size()), unwrittenVectors.size())
                    .clear();
            throw e;
        }
        embed(batch);
        pendingFiles.add(new PendingFile(doc.source(), plan.hash(), plan.chunker(), index));
        flush(chunks, files, batch, false);
        return index;
    }

    private record PendingFile(String source, String hash, String chunker, int chunks) {}

    private long deleted;

    private final List<PendingFile> pendingFiles = new ArrayList<>();
    private final List<KnowledgeChunk> unwritten = new ArrayList<>();
    private final List<float[]> unwrittenVectors = new ArrayList<>();

    private void embed(List<KnowledgeChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        unwrittenVectors.addAll(store.embeddings()
                .embed(batch.stream().map(KnowledgeChunk::embeddedText).toList()));
        embeddingNanos += System.nanoTime() - t0;
        unwritten.addAll(batch);
        batch.clear();
    }

    /**
     * Embeds the batch; once enough is waiting (or when {@code last}), writes the chunks and then the records of the
     * files they complete. Returns whether it wrote.
     */
    private boolean flush(
            ChromaClient.Collection chunks, ChromaClient.Collection files, List<KnowledgeChunk> batch, boolean last) {
        embed(batch);
        if (!(last || unwritten.size() >= WRITE_BATCH) || unwritten.isEmpty() && pendingFiles.isEmpty()) {
            return false;
        }
        long t0 = System.nanoTime();
        store.chroma()
                .upsert(
                        chunks,
                        unwritten.stream().map(KnowledgeChunk::id).toList(),
                        unwrittenVectors,
                        unwritten.stream().map(KnowledgeChunk::text).toList(),
                        unwritten.stream().map(this::metadata).toList());
        if (!pendingFiles.isEmpty()) {
            store.chroma()
                    .upsert(
                            files,
                            pendingFiles.stream().map(PendingFile::source).toList(),
                            pendingFiles.stream().map(f -> new float[] {1f}).toList(),
                            pendingFiles.stream().map(PendingFile::source).toList(),
                            pendingFiles.stream()
                                    .map(f -> Map.<String, Object>of(
                                            "file_hash",
                                            f.hash(),
                                            CHUNKER_KEY,
                                            f.chunker(),
                                            "chunks",
                                            f.chunks(),
                                            "ingested_at",
                                            Instant.now().toString()))
                                    .toList());
            // only now that the new version counts are the old version's chunks removed
            for (PendingFile file : pendingFiles) {
                deleted += deleteStale(store.chroma(), chunks, file);
            }
            // only a file record changes what is searchable (chunks without one do not count)
            store.touch(chunks.name());
        }
        writingNanos += System.nanoTime() - t0;
        unwritten.clear();
        unwrittenVectors.clear();
        pendingFiles.clear();
        return true;
    }

    /** The metadata of a chunk: its citation, and the chunker that made it. */
    private Map<String, Object> metadata(KnowledgeChunk chunk) {
        Map<String, Object> metadata = chunk.metadata();
        metadata.put(CHUNKER_KEY, chunker.version());
        return metadata;
    }

    private static Optional<Recorded> recorded(ChromaClient chroma, ChromaClient.Collection files, String source) {
        return chroma.get(files, null, List.of(source), false, 1, 0).stream()
                .findFirst()
                .map(r -> new Recorded(
                        String.valueOf(r.metadata().get("file_hash")),
                        String.valueOf(r.metadata().getOrDefault(CHUNKER_KEY, "1"))));
    }

    /** Deletes a document's chunks that its new file record does not vouch for; returns how many. */
    private static int deleteStale(ChromaClient chroma, ChromaClient.Collection chunks, PendingFile file) {
        Map<String, Object> where = Map.of("source", Map.of("$eq", file.source()));
        List<String> stale = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            List<ChromaClient.Record> page = chroma.get(chunks, where, null, false, 1000, offset);
            page.stream()
                    .filter(r -> !file.hash().equals(r.metadata().get("file_hash"))
                            || !file.chunker().equals(r.metadata().get(CHUNKER_KEY)))
                    .forEach(r -> stale.add(r.id()));
            if (page.size() < 1000) {
                break;
            }
        }
        for (int i = 0; i < stale.size(); i += 1000) {
            chroma.deleteIds(chunks, stale.subList(i, Math.min(stale.size(), i + 1000)));
        }
        return stale.size();
    }

    /** Deletes a document's file record, then its chunks; returns how many chunks there were. */
    private static int forget(
            ChromaClient chroma, ChromaClient.Collection chunks, ChromaClient.Collection files, String source) {
        chroma.deleteIds(files, List.of(source));
        Map<String, Object> where = Map.of("source", Map.of("$eq", source));
        int count = 0;
        List<ChromaClient.Record> page;
        while (!(page = chroma.get(chunks, where, null, false, 1000, 0)).isEmpty()) {
            chroma.deleteIds(chunks, page.stream().map(ChromaClient.Record::id).toList());
            count += page.size();
        }
        return count;
    }

    /** Every source with chunks or a file record, found by paging through the metadata. */
    private static Set<String> knownSources(
            ChromaClient chroma, ChromaClient.Collection chunks, ChromaClient.Collection files) {
        Set<String> found = new HashSet<>();
        for (ChromaClient.Collection collection : List.of(chunks, files)) {
            for (int offset = 0; ; offset += 1000) {
                List<ChromaClient.Record> page = chroma.get(collection, null, null, false, 1000, offset);
                page.forEach(r -> found.add(
                        collection == files
                                ? r.id()
                                : String.valueOf(r.metadata().get("source"))));
                if (page.size() < 1000) {
                    break;
                }
            }
        }
        return found;
    }

    static String sha256(Path file) throws IOException {
        return Sha256.hexOfFile(file);
    }
}
