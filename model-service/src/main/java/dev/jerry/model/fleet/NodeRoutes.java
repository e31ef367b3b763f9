package dev.jerry.model.fleet;

import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /v1/nodes} (every node with its health, models and load), {@code POST /v1/nodes} (register a node; 201,
 * 409 when the name is taken, 400 naming the bad field) and {@code DELETE /v1/nodes/{name}} (202: drain, then remove;
 * 404 for an unknown node).
 */
public final class NodeRoutes implements Feature {
    private final Fleet fleet;

    public NodeRoutes(Fleet fleet) {
        this.fleet = fleet;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/nodes", this::list);
        routes.post("/v1/nodes", this::register);
        routes.delete("/v1/nodes/{name}", this::remove);
    }

    private void list(Context ctx) {
        ctx.json(new NodeView.Nodes(fleet.nodes().stream().map(NodeView::of).toList()));
    }

    private void register(Context ctx) {
        NodeSpec spec = Json.readRequest(ctx.body(), NodeSpec.class);
        ctx.status(201).json(NodeView.of(fleet.register(spec)));
    }

    private void remove(Context ctx) {
        ctx.status(202).json(NodeView.of(fleet.remove(ctx.pathParam("name"))));
    }
}
