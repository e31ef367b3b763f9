package dev.jerry.ingestion;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.knowledge.FileLedger;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.knowledge.document.Sections;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The documents of one run, each hashed and compared with its ledger record, and the next one to write read and
 * chunked on a second thread while the current one is embedded. Made per run; closing it stops the reading thread.
 */
final class ReadAhead implements AutoCloseable {
    /** A document to process: its hash (or why it could not be hashed), its record, its content being read. */
    record Plan(
            DocumentFinder.Found doc,
            String hash,
            String chunker,
            Optional<FileLedger.FileRecord> recorded,
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
    record ReadDocument(String title, List<ReadPage> pages) {
        int chunks() {
            return pages.stream().mapToInt(p -> p.pieces().size()).sum();
        }
    }

    record ReadPage(int number, List<ReadChunk> pieces) {}

    /** A chunk's text and the section path it belongs to (null when the document has no structure). */
    record ReadChunk(String text, String section) {}

    private final List<DocumentFinder.Found> documents;
    private final Optional<FileLedger> ledger;
    private final DocumentReader reader;
    private final Chunker chunker;
    private final boolean readContent;
    private final ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ingest-read-ahead");
        t.setDaemon(true);
        return t;
    });
    private long readingNanos;

    /** @param readContent false for a dry run: documents are only hashed and compared */
    ReadAhead(
            List<DocumentFinder.Found> documents,
            Optional<FileLedger> ledger,
            DocumentReader reader,
            Chunker chunker,
            boolean readContent) {
        this.documents = documents;
        this.ledger = ledger;
        this.reader = reader;
        this.chunker = chunker;
        this.readContent = readContent;
    }

    /** Hashes document {@code i} and, when it must be written, starts reading it; null past the end. */
    Plan plan(int i) {
        if (i >= documents.size()) {
            return null;
        }
        DocumentFinder.Found doc = documents.get(i);
        Optional<FileLedger.FileRecord> recorded = ledger.flatMap(l -> l.find(doc.source()));
        String hash;
        try {
            hash = Sha256.hexOfFile(doc.file());
        } catch (IOException e) {
            return new Plan(doc, null, chunker.version(), recorded, e, null);
        }
        Plan plan = new Plan(doc, hash, chunker.version(), recorded, null, null);
        if (plan.unchanged() || !readContent) {
            return plan;
        }
        return new Plan(doc, hash, plan.chunker(), recorded, null, ahead.submit(() -> read(doc.file())));
    }

    /** The document read ahead; the time spent waiting for it counts as reading. */
    ReadDocument content(Plan plan) throws DocumentReader.Unreadable, IOException {
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

    long readingNanos() {
        return readingNanos;
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

    @Override
    public void close() {
        ahead.shutdownNow();
    }
}
