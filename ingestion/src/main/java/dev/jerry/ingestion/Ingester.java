package dev.jerry.ingestion;

import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Documents to chunks to embeddings to Chroma, idempotent and resumable. A file counts as ingested only once its file
 * record (content hash, chunk count) is written, after all its chunks: an unchanged file is skipped; a new, changed or
 * half-ingested one has its chunks deleted and written again (same ids for the same content, so nothing duplicates).
 */
final class Ingester {
    static final int BATCH = 32;

    record Options(String collection, boolean dryRun, boolean prune, List<String> tags) {}

    record Failure(String source, String reason) {}

    record Summary(
            int seen,
            int added,
            int changed,
            int unchanged,
            List<Failure> failed,
            int pruned,
            long chunksUpserted,
            long chunksDeleted,
            Duration took) {
        boolean nothingDone() {
            return seen == 0 || failed.size() == seen;
        }
    }

    /** Progress of a run: a bar on a terminal, log lines otherwise. */
    interface Listener {
        void started(int files);

        void file(String source, int pages);

        void page(int page, int chunks);

        void done(String source, String outcome);
    }

    private final KnowledgeStore store;
    private final DocumentReader reader;
    private final Chunker chunker;
    private final Listener listener;

    Ingester(KnowledgeStore store, DocumentReader reader, Chunker chunker, Listener listener) {
        this.store = store;
        this.reader = reader;
        this.chunker = chunker;
        this.listener = listener;
    }

    Summary run(List<DocumentFinder.Found> documents, Options options) {
        long start = System.nanoTime();
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
        for (DocumentFinder.Found doc : documents) {
            String outcome;
            try {
                String hash = sha256(doc.file());
                Optional<String> recorded = files.flatMap(f -> recordedHash(chroma, f, doc.source()));
                if (recorded.isPresent() && recorded.get().equals(hash)) {
                    outcome = "unchanged";
                } else {
                    outcome = recorded.isPresent() ? "changed" : "new";
                    if (!options.dryRun()) {
                        deleted += forget(chroma, chunks.orElseThrow(), files.orElseThrow(), doc.source());
                        int written = write(doc, hash, chunks.orElseThrow(), options.tags());
                        upserted += written;
                        chroma.upsert(
                                files.orElseThrow(),
                                List.of(doc.source()),
                                List.of(new float[] {1f}),
                                List.of(doc.source()),
                                List.of(Map.of(
                                        "file_hash",
                                        hash,
                                        "chunks",
                                        written,
                                        "ingested_at",
                                        Instant.now().toString())));
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
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Reads, chunks, embeds and upserts one document page by page, in batches; returns the chunks written. */
    private int write(DocumentFinder.Found doc, String hash, ChromaClient.Collection chunks, List<String> tags)
            throws DocumentReader.Unreadable, IOException {
        List<KnowledgeChunk> batch = new ArrayList<>();
        int index = 0;
        long textChars = 0;
        try (DocumentReader.Document document = reader.open(doc.file())) {
            listener.file(doc.source(), document.pages());
            for (int number = 1; number <= document.pages(); number++) {
                DocumentReader.Page page = document.page(number);
                textChars += page.text().strip().length();
                List<String> pieces = chunker.chunks(page.text());
                for (String piece : pieces) {
                    batch.add(KnowledgeChunk.of(
                            doc.source(), page.number(), document.title(), index++, piece, hash, tags));
                    if (batch.size() >= BATCH) {
                        flush(chunks, batch);
                    }
                }
                listener.page(number, pieces.size());
            }
        }
        if (textChars == 0) {
            throw new DocumentReader.Unreadable("no extractable text (scanned images? OCR is not supported)");
        }
        flush(chunks, batch);
        return index;
    }

    private void flush(ChromaClient.Collection chunks, List<KnowledgeChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<float[]> vectors = store.embeddings()
                .embed(batch.stream().map(KnowledgeChunk::text).toList());
        store.chroma()
                .upsert(
                        chunks,
                        batch.stream().map(KnowledgeChunk::id).toList(),
                        vectors,
                        batch.stream().map(KnowledgeChunk::text).toList(),
                        batch.stream().map(KnowledgeChunk::metadata).toList());
        batch.clear();
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
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
