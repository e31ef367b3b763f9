package dev.jerry.ingestion;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
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
 * record (content hash, chunk count) is written, after all its chunks: an unchanged file is skipped; a new, changed or
 * half-ingested one has its chunks deleted and written again (same ids for the same content, so nothing duplicates).
 */
public final class Ingester {
    /** Chunks embedded at once: what the embedding model handles efficiently. */
    static final int BATCH = 32;
    /** Chunks written to Chroma at once: each write has a fixed cost, so fewer, larger writes. */
    static final int WRITE_BATCH = 256;

    public record Options(String collection, boolean dryRun, boolean prune, List<String> tags) {}

    public record Failure(String source, String reason) {}

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
        long start = System.nanoTime();
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
        long deleted = 0;
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
                        outcome = plan.recorded().isPresent() ? "changed" : "new";
                        if (!options.dryRun()) {
                            deleted += forget(chroma, chunks.orElseThrow(), files.orElseThrow(), doc.source());
                            upserted += write(plan, chunks.orElseThrow(), files.orElseThrow(), options.tags());
                        }
                    }
                    switch (outcome) {
                        case "unchanged" -> unchanged++;
                        case "changed" -> changed++;
                        default -> added++;
                    }
                } catch (DocumentReader.Unreadable | IOException e) {
                    String reason = e instanceof IOException ? "cannot read: " + e.getMessage() : e.getMessage();
                    failed.add(new Failure(doc.source(), reason));
                    outcome = "failed: " + reason;
                    if (!options.dryRun()) {
                        // what the file held before is stale, and what was written of it now is partial
                        deleted += forget(chroma, chunks.orElseThrow(), files.orElseThrow(), doc.source());
                    }
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
            Set<String> seen = new HashSet<>();
            documents.forEach(d -> seen.add(d.source()));
            for (String gone : knownSources(chroma, chunks.orElseThrow(), files.orElseThrow())) {
                if (!seen.contains(gone)) {
                    deleted += forget(chroma, chunks.orElseThrow(), files.orElseThrow(), gone);
                    pruned++;
                }
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
            Optional<String> recorded,
            IOException hashError,
            Future<ReadDocument> content) {
        /** Chroma holds this very content already. */
        boolean unchanged() {
            return recorded.isPresent() && recorded.get().equals(hash);
        }
    }

    /** A document read and chunked, page by page. */
    private record ReadDocument(String title, List<ReadPage> pages) {}

    private record ReadPage(int number, List<String> pieces) {}

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
            return new Plan(doc, null, Optional.empty(), e, null);
        }
        Plan plan = new Plan(doc, hash, files.flatMap(f -> recordedHash(chroma, f, doc.source())), null, null);
        if (plan.unchanged() || options.dryRun()) {
            return plan;
        }
        return new Plan(doc, hash, plan.recorded(), null, ahead.submit(() -> read(doc.file())));
    }

    private ReadDocument read(Path file) throws DocumentReader.Unreadable, IOException {
        List<ReadPage> pages = new ArrayList<>();
        long textChars = 0;
        try (DocumentReader.Document document = reader.open(file)) {
            for (int number = 1; number <= document.pages(); number++) {
                DocumentReader.Page page = document.page(number);
                textChars += page.text().strip().length();
                pages.add(new ReadPage(page.number(), chunker.chunks(page.text())));
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
                for (String piece : page.pieces()) {
                    batch.add(KnowledgeChunk.of(
                            doc.source(), page.number(), document.title(), index++, piece, plan.hash(), tags));
                    if (batch.size() >= BATCH) {
                        mark = flush(chunks, files, batch, false) ? 0 : mark;
                    }
                }
                listener.page(page.number(), page.pieces().size());
            }
        } catch (RuntimeException e) {
            // drop what is buffered of this document; what was already written of it is deleted by the caller
            unwritten
                    .subList(Math.min(mark, unwritten.size()), unwritten.size())
                    .clear();
            unwrittenVectors
                    .subList(Math.min(mark, unwrittenVectors.size()), unwrittenVectors.size())
                    .clear();
            throw e;
        }
        embed(batch);
        pendingFiles.add(new PendingFile(doc.source(), plan.hash(), index));
        flush(chunks, files, batch, false);
        return index;
    }

    private record PendingFile(String source, String hash, int chunks) {}

    private final List<PendingFile> pendingFiles = new ArrayList<>();
    private final List<KnowledgeChunk> unwritten = new ArrayList<>();
    private final List<float[]> unwrittenVectors = new ArrayList<>();

    private void embed(List<KnowledgeChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        unwrittenVectors.addAll(store.embeddings()
                .embed(batch.stream().map(KnowledgeChunk::text).toList()));
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
                        unwritten.stream().map(KnowledgeChunk::metadata).toList());
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
                                            "chunks",
                                            f.chunks(),
                                            "ingested_at",
                                            Instant.now().toString()))
                                    .toList());
        }
        writingNanos += System.nanoTime() - t0;
        unwritten.clear();
        unwrittenVectors.clear();
        pendingFiles.clear();
        return true;
    }

    private static Optional<String> recordedHash(ChromaClient chroma, ChromaClient.Collection files, String source) {
        return chroma.get(files, null, List.of(source), false, 1, 0).stream()
                .findFirst()
                .map(r -> String.valueOf(r.metadata().get("file_hash")));
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
