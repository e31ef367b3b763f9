package dev.jerry.model.ollama;

import dev.jerry.kit.client.NdjsonStream;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.ollama.ModelRequest;
import dev.jerry.ollama.PullProgress;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls of models on one Ollama node, each on its own virtual thread, bounded by a timeout. Progress is kept for
 * {@code /health/ready} and for the 503 "model downloading" answers; outcomes are metrics.
 */
final class PullTracker {
    private static final Logger log = LoggerFactory.getLogger(PullTracker.class);

    /** Where a pull stands. {@code error} is set when it failed; {@code done} when it ended either way. */
    record Progress(String model, String status, long completed, long total, String error, boolean done) {
        /** The pull could not even start: the node did not answer. */
        boolean unreachable() {
            return "unreachable".equals(status);
        }

        int percent() {
            return total <= 0 ? 0 : (int) (100 * completed / total);
        }

        String describe() {
            if (error != null) {
                return "pull failed: " + error;
            }
            return total > 0 ? percent() + "% (" + completed / 1_000_000 + " of " + total / 1_000_000 + " MB)" : status;
        }
    }

    private final String node;
    private final ServiceClient client;
    private final Duration timeout;
    private final ServiceMetrics metrics;
    private final Map<String, Progress> pulls = new ConcurrentHashMap<>();
    /** The node's words when its last pull failed for lack of disk; cleared by a pull that succeeds. */
    private volatile String outOfDisk;

    PullTracker(String node, ServiceClient client, Duration timeout, ServiceMetrics metrics) {
        this.node = node;
        this.client = client;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    Optional<Progress> progress(String model) {
        return Optional.ofNullable(pulls.get(model));
    }

    Optional<String> outOfDisk() {
        return Optional.ofNullable(outOfDisk);
    }

    Map<String, Progress> all() {
        return Map.copyOf(pulls);
    }

    /** Starts pulling unless a pull of this model is already running; {@code onSuccess} runs when it completes. */
    void start(String model, Consumer<String> onSuccess) {
        Progress previous = pulls.get(model);
        if (previous != null && !previous.done()) {
            return;
        }
        pulls.put(model, new Progress(model, "starting", 0, 0, null, false));
        Thread.ofVirtual().name("pull-" + model).start(() -> pull(model, onSuccess));
    }

    private void pull(String model, Consumer<String> onSuccess) {
        long start = System.nanoTime();
        log.info("pulling model {} on {}", model, node);
        InputStream body;
        try {
            body = client.openStream("POST", "/api/pull", ModelRequest.of(model, true), Map.of());
        } catch (UpstreamException e) {
            fail(model, e.getMessage(), "unreachable");
            return;
        }
        int lastLogged = -10;
        // a pull may be silent for as long as it may take in total (a node verifying a large file says nothing)
        try (NdjsonStream lines = new NdjsonStream(node, body, timeout, timeout, () -> {
            fail(model, "timed out after " + timeout.toSeconds() + " s (JERRY_OLLAMA_PULL_TIMEOUT)", "timeout");
            metrics.timeout("pull:" + model);
        })) {
            Optional<PullProgress> line;
            while ((line = lines.next(PullProgress.class)).isPresent()) {
                PullProgress event = line.get();
                if (event.error() != null) {
                    fail(model, event.error(), "failed");
                    return;
                }
                String status = Objects.requireNonNullElse(event.status(), "");
                Progress progress = new Progress(
                        model,
                        status,
                        Objects.requireNonNullElse(event.completed(), 0L),
                        Objects.requireNonNullElse(event.total(), 0L),
                        null,
                        false);
                pulls.put(model, progress);
                if (progress.percent() >= lastLogged + 10) {
                    lastLogged = progress.percent();
                    log.info("pulling {} on {}: {}", model, node, progress.describe());
                }
                if (event.succeeded()) {
                    pulls.put(model, new Progress(model, "success", progress.total(), progress.total(), null, true));
                    count("success");
                    outOfDisk = null;
                    log.info("pulled {} on {} in {} s", model, node, (System.nanoTime() - start) / 1_000_000_000);
                    onSuccess.accept(model);
                    return;
                }
            }
            fail(model, "the pull stream ended without success", "failed");
        } catch (UpstreamException e) {
            fail(model, "the pull broke off: " + e.getMessage(), "failed");
        }
    }

    private void fail(String model, String error, String outcome) {
        Progress current = pulls.get(model);
        if (current != null && current.done()) {
            return;
        }
        pulls.put(
                model,
                new Progress(model, outcome.equals("unreachable") ? "unreachable" : "failed", 0, 0, error, true));
        if (DiskFull.in(error)) {
            outOfDisk = error;
            outcome = "disk_full";
        }
        count(outcome);
        log.warn("pulling {} on {} failed: {}", model, node, error);
    }

    private void count(String outcome) {
        metrics.counter("pulls", "Model pulls on Ollama nodes by outcome", "node", node, "outcome", outcome)
                .increment();
    }
}
