package dev.jerry.model.tasks;

import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.model.ollama.DiskFull;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.PullProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a model on nodes: one {@link Task} per node, each a pull that the node makes from its own registry while this
 * service follows its progress (model files never pass through here). Checks everything it can before asking any node:
 * the name (400), that each node exists (404) and is online (503); a node that says at once that its disk is full
 * makes the request a 507.
 */
public final class Distributor {
    private static final Logger log = LoggerFactory.getLogger(Distributor.class);
    /** How long a request waits for its pulls to show that they started (or failed at once: a full disk). */
    static final Duration FAILS_FAST = Duration.ofMillis(1500);

    private final Supplier<List<PullNode>> nodes;
    private final TaskBoard board;
    private final Clock clock;
    /** When a model was last deleted from a node ("node model"): a pull task from before is no longer about it. */
    private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

    public Distributor(Supplier<List<PullNode>> nodes, TaskBoard board, Clock clock) {
        this.nodes = nodes;
        this.board = board;
        this.clock = clock;
    }

    public TaskBoard board() {
        return board;
    }

    /** The nodes as they stand now. */
    public List<PullNode> nodes() {
        return nodes.get();
    }

    /**
     * Starts (or joins) the pull of {@code model} on {@code node} without waiting for it to show progress: placement's
     * way, which has no caller waiting for a status.
     */
    public Task startOn(String model, PullNode node) {
        return start(checkedName(model), List.of(node), false).getFirst();
    }

    /** The model on every online node. */
    public List<Task> distributeToAll(String model) {
        String name = checkedName(model);
        List<PullNode> online = nodes.get().stream().filter(PullNode::online).toList();
        if (online.isEmpty()) {
            throw new ServiceException.Unavailable("no node is online to pull '" + name + "' onto"
                    + (nodes.get().isEmpty() ? " (no node is configured: JERRY_OLLAMA_URL or POST /v1/nodes)" : ""));
        }
        return start(name, online, true);
    }

    /** The model on each named node; every name is checked before any node is asked. */
    public List<Task> distribute(String model, List<String> names) {
        String name = checkedName(model);
        if (names.isEmpty()) {
            throw new ServiceException.BadInput("nodes", "field 'nodes' must name at least one node, or be \"all\"");
        }
        Map<String, PullNode> targets = new LinkedHashMap<>();
        for (String node : names) {
            targets.put(node, onlineNode(node));
        }
        return start(name, List.copyOf(targets.values()), true);
    }

    /** Deletes the model from one node's disk. */
    public void delete(String model, String node) {
        String name = checkedName(model);
        PullNode target = onlineNode(node);
        try {
            target.backend().delete(name);
        } catch (UpstreamException.BadResponse e) {
            if (e.upstreamStatus() == 404) {
                throw new ServiceException.NotFound("model '" + name + "' is not on node '" + node + "'");
            }
            throw e;
        }
        deleted.put(node + " " + name, clock.instant());
        log.info("deleted {} on node {}", name, node);
    }

    /** The node called {@code name}: 404 when there is none, 503 when it is offline. */
    PullNode onlineNode(String name) {
        List<PullNode> all = nodes.get();
        PullNode node = all.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ServiceException.NotFound("no node named '" + name + "'; nodes: "
                        + (all.isEmpty()
                                ? "none"
                                : String.join(
                                        ", ", all.stream().map(PullNode::name).toList()))));
        if (!node.online()) {
            throw new ServiceException.Unavailable("node '" + name + "' is offline"
                    + (node.offlineReason() == null ? "" : ": " + node.offlineReason())
                    + "; it is retried and gets its models when it is back");
        }
        return node;
    }

    /** A name Ollama would accept, in its short form; a 400 naming the field otherwise. */
    public static String checkedName(String model) {
        String name = model == null ? null : model.strip();
        ModelName.problem(name).ifPresent(problem -> {
            throw new ServiceException.BadInput("model", "field 'model': " + problem);
        });
        return ModelName.display(name);
    }

    private List<Task> start(String model, List<PullNode> targets, boolean await) {
        List<Task> started = new ArrayList<>();
        List<Task> fresh = new ArrayList<>();
        for (PullNode node : targets) {
            var running = board.active(model, node.name());
            Instant gone = deleted.get(node.name() + " " + model);
            if (running.isPresent()
                    && (gone == null || running.get().createdAt().isAfter(gone))) {
                started.add(running.get());
                continue;
            }
            Task task = Task.queued(UUID.randomUUID().toString(), model, node.name(), clock.instant());
            board.put(task);
            Thread.ofVirtual().name("distribute-" + model + "-" + node.name()).start(() -> run(task, node));
            started.add(task);
            fresh.add(task);
        }
        if (!await) {
            return started;
        }
        awaitStart(fresh);
        for (Task task : fresh) {
            Task now = board.get(task.id()).orElse(task);
            if (now.state() == Task.State.FAILED && DiskFull.in(now.error())) {
                throw new ServiceException.InsufficientStorage("node '" + now.node() + "' is out of disk: "
                        + now.error() + "; free space there (delete a model) and distribute again");
            }
        }
        return started.stream().map(t -> board.get(t.id()).orElse(t)).toList();
    }

    private void awaitStart(List<Task> tasks) {
        long deadline = System.nanoTime() + FAILS_FAST.toNanos();
        for (Task task : tasks) {
            while (System.nanoTime() < deadline) {
                Task now = board.get(task.id()).orElse(task);
                if (now.state().finished() || now.bytesTotal() > 0) {
                    break;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run(Task queued, PullNode node) {
        Task[] current = {queued.running()};
        Instant[] firstByte = {null};
        board.put(current[0]);
        try {
            PullProgress end = node.backend().pull(queued.model(), progress -> {
                if (progress.total() != null && progress.total() > 0 && progress.completed() != null) {
                    Instant now = clock.instant();
                    if (firstByte[0] == null) {
                        firstByte[0] = now;
                    }
                    current[0] = current[0].progressed(progress.completed(), progress.total(), firstByte[0], now);
                    board.put(current[0]);
                }
            });
            current[0] = end.error() == null
                    ? current[0].done(clock.instant())
                    : current[0].failed(end.error(), clock.instant());
        } catch (Exception e) {
            current[0] =
                    current[0].failed(e.getMessage() == null ? "the pull broke off" : e.getMessage(), clock.instant());
        }
        board.put(current[0]);
        if (current[0].state() == Task.State.FAILED) {
            log.warn("distributing {} to {} failed: {}", queued.model(), node.name(), current[0].error());
        }
    }
}
