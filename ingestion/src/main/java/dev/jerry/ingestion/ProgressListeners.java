package dev.jerry.ingestion;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** How a run shows its progress: a bar (files, pages, chunks, ETA) on a terminal, one line per file otherwise. */
final class ProgressListeners {
    private ProgressListeners() {}

    static Ingester.Listener forTerminal(boolean terminal, PrintWriter out) {
        return terminal ? new Bar() : new Lines(out);
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
            bar.setExtraMessage(source);
        }

        @Override
        public void page(int page, int newChunks) {
            pages++;
            chunks += newChunks;
            bar.setExtraMessage(pages + " pages, " + chunks + " chunks");
        }

        @Override
        public void done(String source, String outcome) {
            bar.step();
            if (bar.getCurrent() == bar.getMax()) {
                bar.close();
            }
        }
    }

    private record Lines(PrintWriter out) implements Ingester.Listener {
        @Override
        public void started(int files) {
            out.println("ingesting " + files + " document(s)");
            out.flush();
        }

        @Override
        public void file(String source, int pages) {}

        @Override
        public void page(int page, int chunks) {}

        @Override
        public void done(String source, String outcome) {
            out.println("  " + source + ": " + outcome);
            out.flush();
        }
    }
}
