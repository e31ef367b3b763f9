package dev.jerry.model.placement;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.model.tasks.Distributor;
import dev.jerry.model.tasks.PullNode;
import dev.jerry.model.tasks.Task;
import dev.jerry.ollama.ModelName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts on each node the models it should hold: the required ones ({@code JERRY_OLLAMA_MODELS}) and those of its VRAM
 * tier. Applied when a node registers or comes back online, and on demand; each missing model becomes a distribution
 * task (the node pulls from its own registry).
 */
public final class Placement {
    private static final Logger log = LoggerFactory.getLogger(Placement.class);

    /** What a node should hold and what it lacks of it. */
    public record Plan(String node, Long vramBytes, List<String> wants, List<String> missing) {}

    private final TierTable tiers;
    private final List<String> required;
    private final Distributor distributor;

    public Placement(TierTable tiers, List<String> required, Distributor distributor) {
        this.tiers = tiers;
        this.required = List.copyOf(required);
        this.distributor = distributor;
    }

    public TierTable tiers() {
        return tiers;
    }

    public Plan plan(PullNode node) {
        Set<String> wants = new LinkedHashSet<>();
        required.forEach(m -> wants.add(ModelName.display(m)));
        tiers.modelsFor(node.vramBytes()).forEach(m -> wants.add(ModelName.display(m)));
        List<String> missing =
                wants.stream().filter(m -> !node.backend().serves(m)).toList();
        return new Plan(
                node.name(),
                node.vramBytes().isPresent() ? node.vramBytes().getAsLong() : null,
                List.copyOf(wants),
                missing);
    }

    public List<Plan> plans() {
        return distributor.nodes().stream().map(this::plan).toList();
    }

    /** Starts the pulls that the node lacks; a node that is offline is left for when it is back. */
    public List<Task> apply(PullNode node) {
        if (!node.online()) {
            return List.of();
        }
        Plan plan = plan(node);
        List<Task> tasks = new ArrayList<>();
        for (String model : plan.missing()) {
            try {
                tasks.add(distributor.startOn(model, node));
            } catch (ServiceException e) {
                log.warn("placement could not start {} on {}: {}", model, node.name(), e.getMessage());
            }
        }
        if (!tasks.isEmpty()) {
            log.info("placement: node {} ({}) pulls {}", node.name(), vram(plan), plan.missing());
        }
        return tasks;
    }

    /** Placement on every online node, on demand. */
    public List<Task> applyToAll() {
        List<Task> tasks = new ArrayList<>();
        distributor.nodes().forEach(node -> tasks.addAll(apply(node)));
        return tasks;
    }

    private static String vram(Plan plan) {
        return plan.vramBytes() == null
                ? "VRAM unknown"
                : String.format(java.util.Locale.ROOT, "%.1f GiB VRAM", plan.vramBytes() / (1024.0 * 1024 * 1024));
    }
}
