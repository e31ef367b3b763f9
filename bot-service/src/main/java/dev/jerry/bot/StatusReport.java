package dev.jerry.bot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ModelStatus;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What {@code /jerry-status} and {@code /jerry-admin ingestion} show, read from the services' declared endpoints:
 * models, queue depth and cache hit rate (model-service's {@code GET /v1/status}), the knowledge base
 * ({@code /v1/collections}) and the agent's readiness. Each part that cannot be read says why instead.
 */
public final class StatusReport {
    private final ServiceClient model;
    private final ServiceClient rag;
    private final ServiceClient agent;
    private final ExecutorService executor;

    public StatusReport(ServiceClient model, ServiceClient rag, ServiceClient agent, ExecutorService executor) {
        this.model = model;
        this.rag = rag;
        this.agent = agent;
        this.executor = executor;
    }

    /** The whole status, each line fetched in parallel. */
    public String status() {
        var models = async(this::model);
        var knowledge = async(this::knowledge);
        var agentLine = async(() -> "**Agent:** " + readiness(agent));
        return String.join("\n", "**Jerry status**", join(models), join(knowledge), join(agentLine));
    }

    /** The knowledge base's collections, for admins. */
    public String ingestion() {
        return "**Knowledge base**\n" + join(async(this::knowledge))
                + "\n-# Add documents with `./jerry ingest PATH` (or the ingestion job) on the server.";
    }

    /** Models, queue and cache, from model-service's typed {@code GET /v1/status}. */
    private String model() {
        ModelStatus status;
        try {
            status = model.get("/v1/status", ModelStatus.class);
        } catch (UpstreamException e) {
            String why = ErrorText.clip(e.getMessage());
            return "**Models:** not ready ❌ " + why + "\n**Queue:** unknown\n**Cache:** unknown (" + why + ")";
        }
        String models = status.ready()
                ? "**Models:** ready ✅ (" + String.join(", ", status.models()) + ")"
                : status.backends().isEmpty()
                        ? "**Models:** not ready ❌ no chat backend is configured"
                        : "**Models:** not ready ❌ "
                                + status.backends().stream()
                                        .filter(b -> !b.ready())
                                        .map(b -> b.name() + ": " + ErrorText.clip(b.reason()))
                                        .collect(Collectors.joining("; "));
        int waiting =
                status.queues().stream().mapToInt(ModelStatus.Queue::waiting).sum();
        int running =
                status.queues().stream().mapToInt(ModelStatus.Queue::running).sum();
        return models + "\n**Queue:** " + waiting + " waiting, " + running + " running\n" + cache(status.cache());
    }

    private static String cache(ModelStatus.Cache cache) {
        if (cache.lookups() == 0) {
            return "**Cache:** no lookups yet";
        }
        return String.format(
                Locale.ROOT,
                "**Cache:** %.0f%% hit rate (%d of %d lookups)",
                100.0 * cache.hits() / cache.lookups(),
                cache.hits(),
                cache.lookups());
    }

    private String knowledge() {
        try {
            JsonNode collections = rag.get("/v1/collections", JsonNode.class).path("collections");
            if (collections.isEmpty()) {
                return "**Knowledge base:** empty (no documents ingested yet)";
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode c : collections) {
                parts.add(String.format(
                        Locale.ROOT,
                        "%,d chunks in '%s' (%s, %d dims)",
                        c.path("chunks").asLong(),
                        c.path("name").asText(),
                        c.path("embedding_model").asText("?"),
                        c.path("dimension").asInt()));
            }
            return "**Knowledge base:** " + String.join("; ", parts);
        } catch (UpstreamException e) {
            return "**Knowledge base:** unknown (" + ErrorText.clip(e.getMessage()) + ")";
        }
    }

    private static String readiness(ServiceClient client) {
        try {
            client.send("GET", "/health/ready", null, Map.of());
            return "ready ✅";
        } catch (UpstreamException e) {
            return "not ready ❌ " + ErrorText.clip(e.getMessage());
        }
    }

    private CompletableFuture<String> async(Supplier<String> part) {
        return CompletableFuture.supplyAsync(part, executor);
    }

    private static String join(CompletableFuture<String> part) {
        try {
            return part.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "(not available: no answer within 5 s)";
        }
    }
}
