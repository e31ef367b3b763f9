package dev.jerry.model.placement;

import dev.jerry.kit.http.Feature;
import dev.jerry.model.tasks.TaskRoutes;
import io.javalin.config.RoutesConfig;
import java.util.List;

/**
 * {@code GET /v1/placement}: the tier table and, per node, what it should hold and lacks; {@code POST /v1/placement}:
 * apply it now on every online node (202 with the tasks started).
 */
public final class PlacementRoutes implements Feature {
    public record View(List<TierTable.Tier> tiers, List<Placement.Plan> nodes) {}

    private final Placement placement;

    public PlacementRoutes(Placement placement) {
        this.placement = placement;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/placement", ctx -> ctx.json(new View(placement.tiers().tiers(), placement.plans())));
        routes.post("/v1/placement", ctx -> ctx.status(202).json(new TaskRoutes.Tasks(placement.applyToAll())));
    }
}
