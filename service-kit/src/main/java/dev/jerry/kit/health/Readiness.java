package dev.jerry.kit.health;

import dev.jerry.kit.metrics.ServiceMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every readiness check at once, each on a virtual thread with its own timeout, all inside one overall budget,
 * so {@code /health/ready} answers in time even when a dependency hangs.
 */
public final class Readiness {
    /** Under the 2 s that callers of {@code /health/ready} are promised, leaving room for HTTP. */
    public static final Duration BUDGET = Duration.ofMillis(1500);

    private final List<HealthCheck> checks;
    private final Duration budget;
    private final ServiceMetrics metrics;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("health-check-", 0).factory());

    public Readiness(List<HealthCheck> checks, ServiceMetrics metrics) {
        this(checks, BUDGET, metrics);
    }

    public Readiness(List<HealthCheck> checks, Duration budget, ServiceMetrics metrics) {
        this.checks = List.copyOf(checks);
        this.budget = budget;
        this.metrics = metrics;
        var names = new java.util.HashSet<String>();
        for (HealthCheck check : checks) {
            if (!names.add(check.name())) {
                throw new IllegalArgumentException("two readiness checks are named " + check.name());
            }
        }
    }

    public record CheckReport(String status, long latencyMs, String reason, Map<String, Object> details) {}

    public record Report(String status, Map<String, CheckReport> checks) {
        public boolean ready() {
            return "ready".equals(status);
        }

        /** A one-line summary of what failed, e.g. {@code chroma (timed out after 1500 ms)}. */
        public String failures() {
            List<String> failed = new ArrayList<>();
            checks.forEach((name, check) -> {
                if (!"up".equals(check.status())) {
                    failed.add(name + " (" + check.reason() + ")");
                }
            });
            return String.join(", ", failed);
        }
    }

    public Report evaluate() {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Map<HealthCheck, Future<HealthCheck.Result>> running = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            running.put(check, executor.submit(check::check));
        }
        Map<String, CheckReport> reports = new LinkedHashMap<>();
        boolean allUp = true;
        for (var entry : running.entrySet()) {
            HealthCheck check = entry.getKey();
            CheckReport report = await(check, entry.getValue(), start, deadline);
            reports.put(check.name(), report);
            allUp &= "up".equals(report.status());
        }
        return new Report(allUp ? "ready" : "not_ready", reports);
    }

    private CheckReport await(HealthCheck check, Future<HealthCheck.Result> future, long start, long deadline) {
        long ownDeadline = start + check.timeout().toNanos();
        long waitUntil = Math.min(ownDeadline, deadline);
        try {
            HealthCheck.Result result = future.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
            long latency = elapsedMs(start);
            return switch (result) {
                case HealthCheck.Result.Up up -> new CheckReport("up", latency, null, up.details());
                case HealthCheck.Result.Down down -> new CheckReport("down", latency, down.reason(), down.details());
            };
        } catch (TimeoutException e) {
            future.cancel(true);
            metrics.timeout("health_check:" + check.name());
            long limit = Duration.ofNanos(waitUntil - start).toMillis();
            return new CheckReport("down", elapsedMs(start), "timed out after " + limit + " ms", Map.of());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return new CheckReport("down", elapsedMs(start), reason, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new CheckReport("down", elapsedMs(start), "interrupted", Map.of());
        }
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    public void close() {
        executor.shutdownNow();
    }
}
