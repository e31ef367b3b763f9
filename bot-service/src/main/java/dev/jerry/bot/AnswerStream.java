package dev.jerry.bot;

import dev.jerry.kit.api.AgentChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows one answer in Discord as it streams: status lines while nothing has been generated, then the text so far,
 * edited at most once per {@code interval}, split over several messages once it outgrows one, and finally the whole
 * answer with its sources as footnotes, or a readable error.
 *
 * <p>Rendering is a diff: the text is split ({@link MessageSplitter}) and each message that shows something else
 * than its part is rewritten, one write at a time. Creating a follow-up message is not an edit and is not throttled;
 * editing a message waits for the interval.
 */
public final class AnswerStream {
    private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);
    private static final String STREAMING_MARK = " …";

    /** Where the messages of an answer go: an interaction's original response and follow-ups, or a DM channel. */
    public interface Surface {
        /** Creates message {@code index} (== the number written so far) or rewrites an existing one. */
        CompletableFuture<?> write(int index, String content);

        /**
         * The last message of a final answer: written with the 👍/👎 buttons of turn {@code turnId} under it. A
         * surface without buttons writes the text alone.
         */
        default CompletableFuture<?> writeFinal(int index, String content, String turnId) {
            return write(index, content);
        }
    }

    /** What the stream reports for metrics. */
    public interface Observer {
        void firstTokenVisible();

        void finished();
    }

    private final Surface surface;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private final boolean showStatus;
    private final Observer observer;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final StringBuilder text = new StringBuilder();
    private final List<String> shown = new ArrayList<>();
    private String status = "";
    private String finalText;
    private String turnId;
    private boolean writing;
    private boolean tokenShown;
    private boolean broken;
    private long nextEditAt;
    private ScheduledFuture<?> scheduled;

    public AnswerStream(
            Surface surface, Duration interval, ScheduledExecutorService timer, boolean showStatus, Observer observer) {
        this.surface = surface;
        this.intervalNanos = interval.toNanos();
        this.timer = timer;
        this.showStatus = showStatus;
        this.observer = observer;
        this.nextEditAt = System.nanoTime();
        done.thenRun(observer::finished);
    }

    public synchronized void status(String line) {
        if (finalText == null) {
            status = line;
            pump();
        }
    }

    public synchronized void delta(String piece) {
        if (finalText == null) {
            text.append(piece);
            pump();
        }
    }

    /** The whole answer: what the agent replied plus its sources as footnotes. */
    public synchronized void finish(String reply, List<AgentChatResponse.Source> sources) {
        finish(reply, sources, null);
    }

    /** The whole answer of turn {@code turnId}, which people can rate with the buttons under its last message. */
    public synchronized void finish(String reply, List<AgentChatResponse.Source> sources, String turnId) {
        if (finalText == null) {
            this.turnId = turnId;
            String body = reply == null || reply.isBlank() ? text.toString() : reply;
            finalText = (body.isBlank() ? "(no answer)" : body.strip()) + Footnotes.format(sources);
            pump();
        }
    }

    /** Ends the answer with a readable error, keeping what was already generated. */
    public synchronized void fail(String readable) {
        if (finalText == null) {
            String partial = text.toString().strip();
            finalText = partial.isEmpty() ? readable : partial + "\n\n" + readable;
            pump();
        }
    }

    /** Completes when the final answer is on Discord (or writing it failed for good). */
    public CompletableFuture<Void> done() {
        return done;
    }

    public synchronized boolean finished() {
        return finalText != null;
    }

    private List<String> desired() {
        if (finalText != null) {
            return MessageSplitter.split(finalText);
        }
        if (text.isEmpty()) {
            return showStatus && !status.isBlank() ? List.of("*" + status.strip() + "*") : List.of();
        }
        return MessageSplitter.split(text + STREAMING_MARK);
    }

    private void pump() {
        if (writing || broken || done.isDone()) {
            return;
        }
        List<String> want = desired();
        int index = -1;
        for (int i = 0; i < want.size(); i++) {
            if (i >= shown.size() || !shown.get(i).equals(want.get(i))) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            if (finalText != null) {
                // a part that is no longer wanted (the final split is shorter): blank it rather than leave stale text
                if (shown.size() > want.size()) {
                    index = want.size();
                    want = new ArrayList<>(want);
                    want.add("\u200b");
                } else {
                    done.complete(null);
                    return;
                }
            } else {
                return;
            }
        }
        boolean edit = index < shown.size();
        long now = System.nanoTime();
        if (edit && now < nextEditAt) {
            if (scheduled == null || scheduled.isDone()) {
                scheduled = timer.schedule(this::tick, nextEditAt - now, TimeUnit.NANOSECONDS);
            }
            return;
        }
        String content = want.get(index);
        boolean carriesAnswer = !text.isEmpty() || finalText != null;
        int target = index;
        writing = true;
        CompletableFuture<?> write;
        try {
            write = finalText != null && turnId != null && target == want.size() - 1
                    ? surface.writeFinal(target, content, turnId)
                    : surface.write(target, content);
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        write.whenComplete((ok, error) -> written(target, content, carriesAnswer, error));
    }

    private synchronized void tick() {
        pump();
    }

    private synchronized void written(int index, String content, boolean carriesAnswer, Throwable error) {
        writing = false;
        if (error != null) {
            // the interaction token expired, the message was deleted, Discord refused: nothing more can be shown
            log.warn("could not write an answer to Discord: {}", error.getMessage());
            broken = true;
            done.complete(null);
            return;
        }
        if (index < shown.size()) {
            shown.set(index, content);
        } else {
            shown.add(content);
        }
        // creating a message is not held back, but the next edit waits a full interval after any write
        nextEditAt = System.nanoTime() + intervalNanos;
        if (carriesAnswer && !tokenShown) {
            tokenShown = true;
            observer.firstTokenVisible();
        }
        pump();
    }
}
