package dev.jerry.model.fleet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ollama nodes model-service routes to: the configured ones ({@code JERRY_OLLAMA_URL}) and those registered at run
 * time ({@code POST /v1/nodes}, kept in a file so that a restart keeps them). A monitor asks each online node for its
 * models every check interval; a node that does not answer is marked offline with the error and tried again after a
 * wait that doubles up to a maximum, never dropped. A node that comes back (or is registered) is announced to the
 * {@link #onNodeOnline} listeners, and its required models are pulled.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);
    private static final int STICKY_ENTRIES = 100_000;
    private static final Duration STICKY_FOR = Duration.ofMinutes(30);

    private final FleetConfig config;
    private final Optional<OllamaConfig> base;
    private final ServiceMetrics metrics;
    private final NodeStore store;
    private final Clock clock;
    private final int slots;
    /** By name, in the order they joined: configured first, then registered. */
    private final Map<String, Node> nodes = new java.util.LinkedHashMap<>();
    /** The configured nodes' backends, also once removed: their place in the routing order is the fleet's. */
    private final Set<dev.jerry.model.backend.Backend> managed =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final List<Consumer<Node>> onlineListeners = new CopyOnWriteArrayList<>();
    /** The node that last answered each user (the affinity key), so that its prompt cache is reused. */
    private final Cache<String, String> affinity = Caffeine.newBuilder()
            .maximumSize(STICKY_ENTRIES)
            .expireAfterAccess(STICKY_FOR)
            .build();

    /** False for {@link #none}: it neither reads nor writes a state file. */
    private final boolean keepsNodes;

    private volatile Thread monitor;
    private volatile boolean closed;

    /**
     * @param base the settings of the configured nodes, which registered nodes share (their own URL and token aside)
     * @param configured the configured nodes' backends, already started
     * @param slots generations each node runs at once ({@code JERRY_QUEUE_CONCURRENCY}): how much busier than the
     *     least loaded node a user's sticky node may be
     */
    public Fleet(
            FleetConfig config,
            Optional<OllamaConfig> base,
            List<OllamaBackend> configured,
            int slots,
            ServiceMetrics metrics) {
        this(config, base, configured, slots, metrics, true);
    }

    private Fleet(
            FleetConfig config,
            Optional<OllamaConfig> base,
            List<OllamaBackend> configured,
            int slots,
            ServiceMetrics metrics,
            boolean keepsNodes) {
        this.keepsNodes = keepsNodes;
        this.config = config;
        this.base = base;
        this.metrics = metrics;
        this.store = new NodeStore(config.stateFile());
        this.clock = Clock.systemUTC();
        this.slots = slots;
        managed.addAll(configured);
        for (OllamaBackend backend : configured) {
            NodeSpec spec =
                    new NodeSpec(backend.describe().name(), backend.url().toString(), null, null, List.of());
            add(new Node(spec, Node.Source.CONFIG, backend, this::removeIdle));
        }
        for (NodeSpec spec : keepsNodes ? store.load() : List.<NodeSpec>of()) {
            if (nodes.containsKey(spec.name())) {
                log.warn("registered node {} has the name of a configured node; it is ignored", spec.name());
                continue;
            }
            OllamaBackend backend = backend(spec);
            add(new Node(spec, Node.Source.API, backend, this::removeIdle));
            log.info("node {} ({}) registered earlier, kept from {}", spec.name(), spec.url(), store.file());
        }
        List<Thread> checks = new ArrayList<>();
        for (Node node : nodes()) {
            // a node registered before the restart pulls its required models as at registration
            checks.add(Thread.ofVirtual().start(() -> check(node, node.source() == Node.Source.API)));
        }
        join(checks);
    }

    /** No nodes, and none kept on disk: routing without a fleet (tests of other parts). */
    public static Fleet none(ServiceMetrics metrics) {
        return new Fleet(FleetConfig.defaults(), Optional.empty(), List.of(), 1, metrics, false);
    }

    /** Starts the monitor that checks nodes and retries offline ones. */
    public Fleet start() {
        monitor = Thread.ofVirtual().name("fleet-monitor").start(this::monitor);
        return this;
    }

    public synchronized List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public synchronized Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** Whether {@code backend} is one of the fleet's nodes. */
    public synchronized Optional<Node> nodeOf(dev.jerry.model.backend.Backend backend) {
        return nodes.values().stream().filter(n -> n.backend() == backend).findFirst();
    }

    /** Whether {@code backend} is one of the configured nodes given to the fleet (removed since or not). */
    public boolean manages(dev.jerry.model.backend.Backend backend) {
        return managed.contains(backend);
    }

    /** {@code listener} hears of every node that is registered and online, and of every node that comes back online. */
    public void onNodeOnline(Consumer<Node> listener) {
        onlineListeners.add(listener);
    }

    /**
     * Registers a node, keeps it in the state file, checks it at once and announces it when it answers.
     *
     * @throws ServiceException.BadInput for a bad name, URL, VRAM or label
     * @throws ServiceException.Conflict when the name is taken
     */
    public Node register(NodeSpec requested) {
        NodeSpec spec = requested.validated();
        Node node;
        synchronized (this) {
            if (nodes.containsKey(spec.name())) {
                throw new ServiceException.Conflict("a node named '" + spec.name() + "' already exists");
            }
            node = new Node(spec, Node.Source.API, backend(spec), this::removeIdle);
            add(node);
            persist();
        }
        log.info("node {} registered at {}", spec.name(), spec.uri());
        check(node, true);
        return node;
    }

    /**
     * Drains a node: it gets no new requests and leaves the fleet (and the state file) when its work is done.
     *
     * @throws ServiceException.NotFound when there is no such node
     */
    public Node remove(String name) {
        Node node = node(name).orElseThrow(() -> new ServiceException.NotFound("no node named '" + name + "'"));
        node.drain();
        log.info("node {} is draining ({} requests to finish)", name, node.load());
        if (node.load() == 0) {
            removeIdle(node);
        }
        return node;
    }

    private synchronized void removeIdle(Node node) {
        if (nodes.remove(node.name(), node)) {
            if (node.source() == Node.Source.API) {
                persist();
            }
            List<Meter> gone = meters.remove(node.name());
            if (gone != null) {
                gone.forEach(metrics.registry()::remove);
            }
            log.info("node {} removed", node.name());
        }
    }

    private void persist() {
        if (!keepsNodes) {
            return;
        }
        store.save(nodes.values().stream()
                .filter(n -> n.source() == Node.Source.API)
                .map(Node::spec)
                .toList());
    }

    private OllamaBackend backend(NodeSpec spec) {
        Optional<Secret> token = Optional.ofNullable(spec.token()).map(Secret::new);
        OllamaConfig nodeConfig =
                base.map(b -> b.forNode(spec.uri(), token)).orElseGet(() -> OllamaConfig.defaults(spec.uri(), token));
        return new OllamaBackend(spec.name(), spec.uri(), nodeConfig, metrics);
    }

    private void add(Node node) {
        nodes.put(node.name(), node);
        List<io.micrometer.core.instrument.Tag> tags =
                List.of(io.micrometer.core.instrument.Tag.of("node", node.name()));
        meters.put(
                node.name(),
                List.of(
                        Gauge.builder(metrics.name("node.online"), node, n -> n.online() ? 1 : 0)
                                .description("Whether the node is online (1) or offline or draining (0)")
                                .tags(tags)
                                .register(metrics.registry()),
                        Gauge.builder(metrics.name("node.in.flight"), node, Node::inFlight)
                                .description("Requests generating on the node")
                                .tags(tags)
                                .register(metrics.registry()),
                        Gauge.builder(metrics.name("node.queued"), node, Node::queued)
                                .description("Requests routed to the node that wait for their turn")
                                .tags(tags)
                                .register(metrics.registry())));
    }

    /**
     * Picks the node for one request and takes its place in that node's load, atomically (two requests arriving
     * together do not both see the same idle node): among the online nodes that {@code holds} the model and are not
     * in {@code excluded}, the least loaded (queued + in flight); equally loaded, the one given fewer requests. With
     * stickiness, the node that last answered {@code user} wins while it is less than a round of slots busier.
     */
    public synchronized Optional<Node.Lease> lease(Predicate<Node> holds, String user, Set<String> excluded) {
        List<Node> candidates = nodes.values().stream()
                .filter(Node::online)
                .filter(n -> !excluded.contains(n.name()))
                .filter(holds)
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Node least = candidates.stream()
                .min(Comparator.comparingInt(Node::load).thenComparingLong(Node::assigned))
                .orElseThrow();
        Node chosen = least;
        if (config.sticky() && user != null) {
            String last = affinity.getIfPresent(user);
            Node sticky = last == null
                    ? null
                    : candidates.stream()
                            .filter(n -> n.name().equals(last))
                            .findFirst()
                            .orElse(null);
            if (sticky != null && sticky.load() < least.load() + slots) {
                chosen = sticky;
            }
            affinity.put(user, chosen.name());
        }
        return Optional.of(chosen.assign());
    }

    /** The online nodes that satisfy {@code holds}, least loaded first, without taking a place in their load. */
    public synchronized List<Node> candidates(Predicate<Node> holds) {
        return nodes.values().stream()
                .filter(Node::online)
                .filter(holds)
                .sorted(Comparator.comparingInt(Node::load).thenComparingLong(Node::assigned))
                .toList();
    }

    /** A request failed on {@code node} because the node is unreachable: it is marked offline at once. */
    public void failed(Node node, UpstreamException e) {
        if (e instanceof UpstreamException.Unavailable && node.online()) {
            offline(node, e.getMessage());
        }
    }

    private void offline(Node node, String error) {
        int failures = node.failures();
        Duration wait = config.checkInterval().multipliedBy(1L << Math.min(failures, 20));
        if (wait.compareTo(config.maxBackoff()) > 0) {
            wait = config.maxBackoff();
        }
        Instant retryAt = clock.instant().plus(wait);
        boolean wasOnline = node.online();
        node.markOffline(error, retryAt);
        if (wasOnline) {
            log.warn("node {} is offline ({}); trying again at {}", node.name(), error, retryAt);
        } else {
            log.debug("node {} is still offline ({}); next try at {}", node.name(), error, retryAt);
        }
        metrics.counter("node.offline", "Times a node was found unreachable", "node", node.name())
                .increment();
    }

    /** Asks the node for its models; marks it online or offline and announces it when it (re)joins. */
    private void check(Node node, boolean announceAnyway) {
        if (!node.checking.compareAndSet(false, true)) {
            return; // the previous check of this node still waits for it
        }
        try {
            checkNow(node, announceAnyway);
        } finally {
            node.checking.set(false);
        }
    }

    private void checkNow(Node node, boolean announceAnyway) {
        boolean wasOffline = node.state() == Node.State.OFFLINE;
        try {
            node.backend().check();
        } catch (UpstreamException e) {
            offline(node, e.getMessage());
            return;
        } catch (RuntimeException e) {
            offline(node, "could not be checked: " + e.getMessage());
            return;
        }
        node.markOnline();
        if (wasOffline || announceAnyway) {
            if (wasOffline) {
                log.info("node {} is back online", node.name());
            }
            node.backend().start(); // pulls the required models it lacks
            announce(node);
        }
    }

    private void announce(Node node) {
        for (Consumer<Node> listener : onlineListeners) {
            try {
                listener.accept(node);
            } catch (RuntimeException e) {
                log.warn("a listener failed on node {} coming online: {}", node.name(), e.getMessage(), e);
            }
        }
    }

    private void monitor() {
        while (!closed) {
            try {
                Thread.sleep(config.checkInterval());
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            for (Node node : nodes()) {
                boolean due = node.state() != Node.State.OFFLINE
                        || node.nextRetryAt().map(at -> !at.isAfter(now)).orElse(true);
                if (due) {
                    // each node on its own thread: a node that hangs delays nobody else's check
                    Thread.ofVirtual().name("fleet-check-" + node.name()).start(() -> check(node, false));
                }
            }
        }
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread running = monitor;
        if (running != null) {
            running.interrupt();
        }
    }
}
