package dev.jerry.model.tasks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/models/distribute}, {@code GET /v1/tasks}, {@code GET /v1/tasks/{id}}, the SSE stream
 * {@code GET /v1/tasks/events} (a {@code snapshot} of every task first, then one {@code task} event per change, and a
 * {@code ping} when nothing happened for a while), and {@code DELETE /v1/nodes/{name}/models/{model}}.
 */
public final class TaskRoutes implements Feature {
    /** Long enough to be cheap, short enough that a proxy's idle timeout does not cut the stream. */
    static final Duration PING = Duration.ofSeconds(10);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DistributeRequest(String model, JsonNode nodes) {}

    public record Tasks(List<Task> tasks) {}

    private final Distributor distributor;

    public TaskRoutes(Distributor distributor) {
        this.distributor = distributor;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/models/distribute", this::distribute);
        routes.get("/v1/tasks", ctx -> ctx.json(new Tasks(distributor.board().all())));
        routes.get("/v1/tasks/events", this::events);
        routes.get(
                "/v1/tasks/{id}",
                ctx -> ctx.json(distributor
                        .board()
                        .get(ctx.pathParam("id"))
                        .orElseThrow(
                                () -> new ServiceException.NotFound("no task with id '" + ctx.pathParam("id") + "'"))));
        routes.delete("/v1/nodes/{name}/models/<model>", ctx -> {
            distributor.delete(ctx.pathParam("model"), ctx.pathParam("name"));
            ctx.status(204);
        });
    }

    private void distribute(Context ctx) {
        DistributeRequest body = Json.readRequest(ctx.body(), DistributeRequest.class);
        JsonNode nodes = body.nodes();
        List<Task> tasks;
        if (nodes != null && nodes.isTextual() && nodes.asText().equals("all")) {
            tasks = distributor.distributeToAll(body.model());
        } else if (nodes != null && nodes.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode node : nodes) {
                if (!node.isTextual() || node.asText().isBlank()) {
                    throw new ServiceException.BadInput("nodes", "field 'nodes' must hold node names (strings)");
                }
                names.add(node.asText());
            }
            Distributor.checkedName(body.model());
            tasks = distributor.distribute(body.model(), names);
        } else {
            Distributor.checkedName(body.model());
            throw new ServiceException.BadInput("nodes", "field 'nodes' is required: a list of node names, or \"all\"");
        }
        ctx.status(202).json(new Tasks(tasks));
    }

    private void events(Context ctx) throws IOException {
        BlockingQueue<Task> changes = new LinkedBlockingQueue<>();
        StreamWriter out = StreamWriter.sse(ctx);
        try (TaskBoard.Subscription ignored = distributor.board().subscribe(changes::add)) {
            // subscribed first, so that no change falls between the snapshot and the stream
            out.event("snapshot", new Tasks(distributor.board().all()));
            while (true) {
                Task task = changes.poll(PING.toMillis(), TimeUnit.MILLISECONDS);
                if (task == null) {
                    out.event("ping", Map.of());
                } else {
                    out.event("task", task);
                }
            }
        } catch (IOException clientGone) {
            // the client went away: its subscription ends with this request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
