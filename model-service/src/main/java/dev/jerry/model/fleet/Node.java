package dev.jerry.model.fleet;

import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.ollama.OllamaBackend;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Ollama node of the fleet: what it is (name, URL, declared VRAM, labels, where it came from), its backend, and
 * what the fleet knows of it now: online, offline (with the last error and when it is tried again) or draining, and
 * its load (requests waiting for it in model-service's queue, and generating on it).
 */
public final class Node {
    /** Where a node came from: {@code JERRY_OLLAMA_URL}, or registered through {@code POST /v1/nodes}. */
    public enum Source {
        CONFIG,
        API
    }

    public enum State {
        ONLINE,
        OFFLINE,
        DRAINING
    }

    private final NodeSpec spec;
    private final Source source;
    private final OllamaBackend backend;
    private final Consumer<Node> idle;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong assigned = new AtomicLong();
    /** Whether a health check of this node is under way (checks of one node never overlap). */
    final AtomicBoolean checking = new AtomicBoolean();

    private volatile State state = State.ONLINE;
    private volatile String lastError;
    private volatile Instant nextRetryAt;
    private volatile int failures;

    Node(NodeSpec spec, Source source, OllamaBackend backend, Consumer<Node> idle) {
        this.spec = spec;
        this.source = source;
        this.backend = backend;
        this.idle = idle;
    }

    public String name() {
        return spec.name();
    }

    public URI url() {
        return spec.uri();
    }

    public Source source() {
        return source;
    }

    public List<String> labels() {
        return spec.labels();
    }

    /** Whether requests may be routed to it: reachable at its last check and not draining. */
    public boolean online() {
        return state == State.ONLINE;
    }

    public State state() {
        return state;
    }

    /** The VRAM the operator declared for it; Ollama's API does not report a node's total VRAM. */
    public OptionalLong vramBytes() {
        return spec.vramBytes();
    }

    public OllamaBackend backend() {
        return backend;
    }

    /** The models the node listed at its last check. */
    public List<ModelFile> models() {
        return backend.lastListed();
    }

    /** Requests routed to it that wait in model-service's queue for their turn. */
    public int queued() {
        return queued.get();
    }

    /** Requests generating on it now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** What routing compares: the least loaded node holding a model gets the next request for it. */
    public int load() {
        return queued.get() + inFlight.get();
    }

    /** Requests routed to it so far: among equally loaded nodes, the one given fewer wins. */
    long assigned() {
        return assigned.get();
    }

    /** Why it is offline, or else why its last pull failed for lack of disk. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError).or(backend::outOfDisk);
    }

    public Optional<Instant> nextRetryAt() {
        return Optional.ofNullable(nextRetryAt);
    }

    /** The free disk the node told of (a pull that failed for lack of space says none), when it told it. */
    public OptionalLong freeDiskBytes() {
        return backend.outOfDisk().isPresent() ? OptionalLong.of(0) : OptionalLong.empty();
    }

    NodeSpec spec() {
        return spec;
    }

    int failures() {
        return failures;
    }

    void markOnline() {
        failures = 0;
        lastError = null;
        nextRetryAt = null;
        if (state == State.OFFLINE) {
            state = State.ONLINE;
        }
    }

    void markOffline(String error, Instant retryAt) {
        failures++;
        lastError = error;
        nextRetryAt = retryAt;
        if (state == State.ONLINE) {
            state = State.OFFLINE;
        }
    }

    void drain() {
        state = State.DRAINING;
    }

    /** Takes a place in the node's load for one request; the lease gives it back when closed. */
    public Lease assign() {
        queued.incrementAndGet();
        assigned.incrementAndGet();
        return new Lease();
    }

    /** One request's share of a node's load: queued until {@link #started}, then in flight until closed. */
    public final class Lease implements AutoCloseable {
        private boolean started;
        private boolean closed;

        public Node node() {
            return Node.this;
        }

        /** Its turn came: it now generates on the node. */
        public synchronized void started() {
            if (!started && !closed) {
                started = true;
                queued.decrementAndGet();
                inFlight.incrementAndGet();
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            (started ? inFlight : queued).decrementAndGet();
            if (state == State.DRAINING && load() == 0) {
                idle.accept(Node.this);
            }
        }
    }
}
