package dev.jerry.ingestion;

/** What became of one document in a run. */
public sealed interface Outcome {
    /** The line a run prints for the document. */
    String text();

    /** Chroma held this very content already, cut by this very chunker: nothing written. */
    record Unchanged() implements Outcome {
        @Override
        public String text() {
            return "unchanged";
        }
    }

    /** Not ingested before. */
    record Added() implements Outcome {
        @Override
        public String text() {
            return "new";
        }
    }

    /**
     * Ingested before with other content, or with the same content cut by an older chunker.
     *
     * @param rechunked same content, chunked anew because an older chunker made its chunks
     */
    record Changed(boolean rechunked) implements Outcome {
        @Override
        public String text() {
            return rechunked ? "changed (chunked anew: made by an older chunker)" : "changed";
        }
    }

    /**
     * Could not be read; nothing of it was written.
     *
     * @param kept an earlier run's chunks of it exist, and stay as they were
     */
    record Failed(String reason, boolean kept) implements Outcome {
        @Override
        public String text() {
            return kept ? "failed: " + reason + " (its earlier chunks are kept)" : "failed: " + reason;
        }
    }
}
