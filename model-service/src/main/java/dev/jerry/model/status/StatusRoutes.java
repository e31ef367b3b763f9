package dev.jerry.model.status;

import dev.jerry.kit.api.ModelStatus;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.health.Readiness;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.inference.Inference;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/status}: the chat models, whether each backend answers (the same probes as {@code /health/ready},
 * cached the same way), each queue's depth and the cache's hits and misses, as {@link ModelStatus}.
 */
public final class StatusRoutes implements Feature {
    private final Inference inference;
    private final Readiness backends;
    private final ServiceMetrics metrics;

    /** {@code backendChecks}: one readiness check per chat backend. */
    public StatusRoutes(Inference inference, List<HealthCheck> backendChecks, ServiceMetrics metrics) {
        this.inference = inference;
        this.backends = new Readiness(backendChecks, metrics);
        this.metrics = metrics;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/status", ctx -> ctx.json(status()));
    }

    public ModelStatus status() {
        List<ModelStatus.Backend> checked = new ArrayList<>();
        backends.evaluate()
                .checks()
                .forEach((name, report) ->
                        checked.add(new ModelStatus.Backend(name, "up".equals(report.status()), report.reason())));
        List<ModelStatus.Queue> queues = new ArrayList<>();
        inference
                .queues()
                .forEach((name, queue) -> queues.add(
                        new ModelStatus.Queue(name, queue.waitingCount(), queue.runningCount(), queue.concurrency())));
        return new ModelStatus(
                !checked.isEmpty() && checked.stream().allMatch(ModelStatus.Backend::ready),
                inference.router().chatModels(),
                checked,
                queues,
                cache());
    }

    /** The cache's lookups as counted for {@code /metrics} ({@code result} = hit_... or miss). */
    private ModelStatus.Cache cache() {
        long hits = 0;
        long misses = 0;
        for (Counter counter :
                metrics.registry().find(metrics.name("cache.lookups")).counters()) {
            String result = counter.getId().getTag("result");
            long count = (long) counter.count();
            if (result != null && result.startsWith("hit")) {
                hits += count;
            } else if ("miss".equals(result)) {
                misses += count;
            }
        }
        return new ModelStatus.Cache(hits, misses);
    }
}
