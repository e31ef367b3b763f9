package dev.jerry.ingestion;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How a run shows its progress: a bar (files, pages, chunks, ETA) on a terminal; otherwise one line per file, and for a
 * long file a line every {@link #EVERY} about its chunks, so a log shows that a large file is moving.
 */
final class ProgressListeners {
    static final Duration EVERY = Duration.ofSeconds(10);

    private ProgressListeners() {}

    static Ingester.Listener forTerminal(boolean terminal, PrintWriter out) {
        return terminal ? new Bar() : new Lines(out, EVERY);
    }

    private static final class Bar implements Ingester.Listener {
        private ProgressBar bar;
        private long pages;
        private long chunks;

        @Override
        public void started(int files) {
            bar = new ProgressBarBuilder()
                    .setTaskName("ingest")
                    .setInitialMax(files)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" files", 1)
                    .build();
        }

        @Override
        public void file(String source, int pageCount) {
            bar.setExtraMessage(Printable.escape(source));
        }

        @Override
        public void page(int page, int newChunks) {
            pages++;
            chunks += newChunks;
            bar.setExtraMessage(pages + " pages, " + chunks + " chunks");
        }

        @Override
        public void done(String source, Outcome outcome) {
            bar.step();
            if (bar.getCurrent() == bar.getMax()) {
                bar.close();
            }
        }
    }

    static final class Lines implements Ingester.Listener {
        private final PrintWriter out;
        private final Duration every;
        private long last = System.nanoTime();

        Lines(PrintWriter out, Duration every) {
            this.out = out;
            this.every = every;
        }

        @Override
        public void started(int files) {
            out.println("ingesting " + files + " document(s)");
            out.flush();
            last = System.nanoTime();
        }

        @Override
        public void file(String source, int pages) {}

        @Override
        public void page(int page, int chunks) {}

        @Override
        public void embedded(String source, int done, int total) {
            if (System.nanoTime() - last >= every.toNanos()) {
                out.printf("  %s: %d of %d chunks embedded%n", Printable.escape(source), done, total);
                out.flush();
                last = System.nanoTime();
            }
        }

        @Override
        public void done(String source, Outcome outcome) {
            out.println("  " + Printable.escape(source) + ": " + outcome.text());
            out.flush();
            last = System.nanoTime();
        }
    }
}
