package dev.jerry.ingestion;

import dev.jerry.knowledge.FileLedger;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.KnowledgeWriter;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Documents to chunks to embeddings to Chroma, idempotent and resumable. A file counts as ingested only once its
 * {@link FileLedger} record is written, after all its chunks ({@link KnowledgeWriter}), so chunks of a run stopped
 * midway are never searchable. An unchanged file is skipped; a new, changed, half-ingested or old-chunker one is read
 * first, its new chunks written (same ids for the same content, so nothing duplicates), its record replaced, and only
 * then its stale chunks deleted. A file that cannot be read keeps what it had: it is reported as failed, never deleted.
 * Each {@link #run} is its own {@link Run}: nothing of one run stays on this object.
 */
public final class Ingester {
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
        /** Shows nothing (benchmarks, tests). */
        Listener NONE = new Listener() {
            @Override
            public void started(int files) {}

            @Override
            public void file(String source, int pages) {}

            @Override
            public void page(int page, int chunks) {}

            @Override
            public void done(String source, Outcome outcome) {}
        };

        void started(int files);

        void file(String source, int pages);

        void page(int page, int chunks);

        /** Chunks of a document embedded so far, out of its total; called after each batch. */
        default void embedded(String source, int done, int total) {}

        void done(String source, Outcome outcome);
    }

    private final KnowledgeStore store;
    private final DocumentReader reader;
    private final Chunker chunker;
    private final Listener listener;

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
        return new Run(discovery, options).execute();
    }

    /** One run: its writer (none for a dry run), its read-ahead, its counts. */
    private final class Run {
        private final DocumentFinder.Discovery discovery;
        private final Options options;
        private final long start = System.nanoTime();
        private final Optional<KnowledgeWriter> writer;
        private final List<Failure> failed = new ArrayList<>();
        private int added;
        private int changed;
        private int unchanged;
        private long upserted;
        private long pages;

        Run(DocumentFinder.Discovery discovery, Options options) {
            this.discovery = discovery;
            this.options = options;
            this.writer = options.dryRun()
                    ? Optional.empty()
                    : Optional.of(new KnowledgeWriter(store, options.collection(), chunker.version()));
            if (options.dryRun()
                    && store.chroma().collection(options.collection()).isPresent()) {
                store.openForReading(options.collection()); // refused when built with another embedding model
            }
        }

        Summary execute() {
            List<DocumentFinder.Found> documents = discovery.found();
            Optional<FileLedger> ledger =
                    writer.map(KnowledgeWriter::ledger).or(() -> store.ledger(options.collection()));
            listener.started(documents.size());
            long readingNanos;
            try (ReadAhead ahead = new ReadAhead(documents, ledger, reader, chunker, writer.isPresent())) {
                ReadAhead.Plan next = ahead.plan(0);
                for (int i = 0; i < documents.size(); i++) {
                    ReadAhead.Plan plan = next;
                    next = ahead.plan(i + 1);
                    Outcome outcome = process(plan, ahead);
                    switch (outcome) {
                        case Outcome.Unchanged u -> unchanged++;
                        case Outcome.Added a -> added++;
                        case Outcome.Changed c -> changed++;
                        case Outcome.Failed f ->
                            failed.add(new Failure(plan.doc().source(), f.reason()));
                    }
                    listener.done(plan.doc().source(), outcome);
                }
                readingNanos = ahead.readingNanos();
            }
            writer.ifPresent(KnowledgeWriter::finish);
            int pruned = options.prune() ? writer.map(this::prune).orElse(0) : 0;
            return new Summary(
                    documents.size(),
                    added,
                    changed,
                    unchanged,
                    failed,
                    pruned,
                    upserted,
                    writer.map(KnowledgeWriter::deleted).orElse(0L),
                    Duration.ofNanos(System.nanoTime() - start),
                    new Timings(
                            pages,
                            readingNanos,
                            writer.map(KnowledgeWriter::embeddingNanos).orElse(0L),
                            writer.map(KnowledgeWriter::writingNanos).orElse(0L)));
        }

        private Outcome process(ReadAhead.Plan plan, ReadAhead ahead) {
            try {
                if (plan.hashError() != null) {
                    throw plan.hashError();
                }
                if (plan.unchanged()) {
                    return new Outcome.Unchanged();
                }
                Outcome outcome = plan.recorded().isEmpty()
                        ? new Outcome.Added()
                        : new Outcome.Changed(plan.recorded().get().hash().equals(plan.hash()));
                if (writer.isPresent()) {
                    upserted += write(plan, ahead.content(plan), writer.get());
                }
                return outcome;
            } catch (DocumentReader.Unreadable | IOException e) {
                String reason = e instanceof IOException io ? "cannot read: " + Printable.reason(io) : e.getMessage();
                // nothing of it was written: whatever an earlier run stored of it stays, as it was
                return new Outcome.Failed(reason, plan.recorded().isPresent());
            }
        }

        /** Hands one document's chunks to the writer, then its file record; returns the number of chunks. */
        private int write(ReadAhead.Plan plan, ReadAhead.ReadDocument document, KnowledgeWriter writer) {
            String source = plan.doc().source();
            int index = 0;
            try {
                listener.file(source, document.pages().size());
                for (ReadAhead.ReadPage page : document.pages()) {
                    pages++;
                    for (ReadAhead.ReadChunk piece : page.pieces()) {
                        KnowledgeChunk chunk = KnowledgeChunk.of(
                                source,
                                page.number(),
                                document.title(),
                                index++,
                                piece.text(),
                                plan.hash(),
                                options.tags(),
                                piece.section());
                        if (writer.add(chunk)) {
                            listener.embedded(source, index, document.chunks());
                        }
                    }
                    listener.page(page.number(), page.pieces().size());
                }
                writer.complete(source, plan.hash(), index);
            } catch (RuntimeException e) {
                // what was already written of it does not count without its record
                writer.abandon(source);
                throw e;
            }
            return index;
        }

        /** Removes the documents the discovery knows to be gone; returns how many. */
        private int prune(KnowledgeWriter writer) {
            int pruned = 0;
            for (String known : writer.sources()) {
                if (discovery.gone(known)) {
                    writer.forget(known);
                    pruned++;
                }
            }
            if (pruned > 0) {
                writer.touch();
            }
            return pruned;
        }
    }
}
