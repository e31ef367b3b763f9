package dev.jerry.bot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /jerry-admin pull}: asks model-service to put a model on one node or on all of them
 * ({@code POST /v1/models/distribute}), then follows each node's task, showing one progress bar per node (⏳), until
 * every node has it (✅) or a node failed (❌), giving up before the interaction's token expires. Plain Java: what is
 * shown goes to a {@code Consumer}, so it runs without Discord.
 */
public final class ModelPull {
    /** An interaction token lives 15 minutes. */
    public static final Duration LONGEST = Duration.ofMinutes(14);

    public static final Duration POLL = Duration.ofSeconds(2);
    /** The node choice that means every online node. */
    public static final String ALL = "all";

    private static final int BAR = 12;

    /** A distribution task as model-service shows it ({@code GET /v1/tasks/{id}}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Task(
            String id,
            String model,
            String node,
            String state,
            long bytesDone,
            long bytesTotal,
            long bytesPerSecond,
            String error) {
        boolean finished() {
            return "done".equals(state) || "failed".equals(state);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Tasks(List<Task> tasks) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Node(String name, String state) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Nodes(List<Node> nodes) {}

    private final ServiceClient model;
    private final Duration poll;
    private final Duration longest;

    public ModelPull(ServiceClient model, Duration poll, Duration longest) {
        this.model = model;
        this.poll = poll;
        this.longest = longest;
    }

    /** The node names that start with what the user typed, {@code all} first; empty when model-service is down. */
    public List<String> nodeChoices(String typed, int limit) {
        String prefix = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        names.add(ALL);
        try {
            model.get("/v1/nodes", Nodes.class).nodes().forEach(n -> names.add(n.name()));
        } catch (UpstreamException e) {
            return List.of(ALL);
        }
        return names.stream()
                .filter(n -> n.toLowerCase(Locale.ROOT).startsWith(prefix))
                .limit(limit)
                .toList();
    }

    /**
     * Blocks until the model is on every chosen node, a node failed, or {@code longest} has passed; shows each text
     * that differs from the last one shown. {@code node} is a node's name or {@link #ALL} (also when empty).
     * {@code again} is how the user asks again (said when giving up).
     */
    public void run(String name, Optional<String> node, String again, Consumer<String> show) {
        long deadline = System.nanoTime() + longest.toNanos();
        Map<String, Task> tasks = new LinkedHashMap<>();
        try {
            Object nodes = node.filter(n -> !n.isBlank() && !n.equals(ALL))
                    .<Object>map(List::of)
                    .orElse(ALL);
            model.post("/v1/models/distribute", Map.of("model", name, "nodes", nodes), Tasks.class)
                    .tasks()
                    .forEach(t -> tasks.put(t.id(), t));
        } catch (UpstreamException e) {
            show.accept(refusal(e));
            return;
        }
        String last = "";
        while (true) {
            String text = render(name, tasks.values());
            if (!text.equals(last)) {
                show.accept(text);
                last = text;
            }
            if (tasks.values().stream().allMatch(Task::finished)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                show.accept(last + "\nStill downloading; check again with `" + again + "` later.");
                return;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Task task : List.copyOf(tasks.values())) {
                if (!task.finished()) {
                    try {
                        tasks.put(task.id(), model.get("/v1/tasks/" + task.id(), Task.class));
                    } catch (UpstreamException e) {
                        // model-service restarted or is busy: the node's pull goes on, the next poll may see it
                    }
                }
            }
        }
    }

    /** model-service's own words for a refused distribution (bad name, no such node, node offline, disk full). */
    private static String refusal(UpstreamException e) {
        return e instanceof UpstreamException.BadResponse bad
                        && (bad.upstreamStatus() < 500 || bad.upstreamStatus() == 507)
                ? "❌ " + ErrorText.clip(e.getMessage())
                : ErrorText.of(e);
    }

    static String render(String name, Collection<Task> tasks) {
        long failed = tasks.stream().filter(t -> "failed".equals(t.state())).count();
        boolean finished = tasks.stream().allMatch(Task::finished);
        String head;
        if (tasks.isEmpty()) {
            head = "✅ Model `" + name + "` is ready.";
        } else if (failed > 0 && finished) {
            head = "❌ Model `" + name + "` could not be pulled on " + failed + " of " + tasks.size() + " node"
                    + (tasks.size() == 1 ? "" : "s") + ".";
        } else if (finished) {
            head = "✅ Model `" + name + "` is ready.";
        } else {
            head = "⏳ Model `" + name + "` is downloading on " + tasks.size() + " node" + (tasks.size() == 1 ? "" : "s")
                    + ".";
        }
        StringBuilder text = new StringBuilder(head);
        for (Task task : tasks) {
            text.append('\n').append(line(task));
        }
        return text.toString();
    }

    private static String line(Task task) {
        String node = "`" + task.node() + "` ";
        return switch (task.state()) {
            case "done" -> node + bar(100) + " ✅ ready";
            case "failed" -> node + "❌ " + ErrorText.clip(task.error() == null ? "failed" : task.error());
            case "queued" -> node + bar(0) + " waiting";
            default -> {
                int percent = task.bytesTotal() <= 0 ? 0 : (int) (100 * task.bytesDone() / task.bytesTotal());
                yield node + bar(percent) + " " + percent + "%"
                        + (task.bytesTotal() > 0 ? " of " + megabytes(task.bytesTotal()) : "")
                        + (task.bytesPerSecond() > 0 ? ", " + megabytes(task.bytesPerSecond()) + "/s" : "");
            }
        };
    }

    private static String bar(int percent) {
        int full = Math.round(BAR * Math.min(100, Math.max(0, percent)) / 100f);
        return "`" + "█".repeat(full) + "░".repeat(BAR - full) + "`";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
