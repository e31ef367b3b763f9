package dev.jerry.bot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code /jerry-status} and {@code /jerry-admin ingestion} show, read from the services' own endpoints: model
 * readiness and queue depth ({@code /health/ready}), the cache hit rate ({@code /metrics}), the knowledge base
 * ({@code /v1/collections}) and the agent's readiness. Each part that cannot be read says why instead.
 */
public final class StatusReport {
    private static final Pattern CACHE_LOOKUPS =
            Pattern.compile("^jerry_model_cache_lookups_total\\{[^}]*result=\"([a-z_]+)\"[^}]*}\\s+([0-9.eE+-]+)");

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
        var models = async(this::models);
        var cache = async(this::cache);
        var knowledge = async(this::knowledge);
        var agentLine = async(() -> "**Agent:** " + readiness(agent));
        return String.join("\n", "**Jerry status**", join(models), join(cache), join(knowledge), join(agentLine));
    }

    /** The knowledge base's collections, for admins. */
    public String ingestion() {
        return "**Knowledge base**\n" + join(async(this::knowledge))
                + "\n-# Add documents with `./jerry ingest PATH` (or the ingestion job) on the server.";
    }

    private String models() {
        try {
            JsonNode ready = Json.mapper()
                    .readTree(model.send("GET", "/health/ready", null, Map.of()).body());
            return "**Models:** ready ✅" + queue(ready.path("checks"));
        } catch (UpstreamException e) {
            return "**Models:** not ready ❌ " + Readable.clip(e.getMessage());
        } catch (java.io.IOException e) {
            return "**Models:** model-service answered something unreadable";
        }
    }

    private static String queue(JsonNode checks) {
        int waiting = 0;
        int running = 0;
        List<String> backends = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = checks.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> check = it.next();
            if (check.getKey().startsWith("queue:")) {
                waiting += check.getValue().path("details").path("waiting").asInt();
                running += check.getValue().path("details").path("running").asInt();
            } else {
                backends.add(check.getKey());
            }
        }
        return " (" + String.join(", ", backends) + ")\n**Queue:** " + waiting + " waiting, " + running + " running";
    }

    private String cache() {
        try {
            String text = model.send("GET", "/metrics", null, Map.of()).body();
            double hits = 0;
            double all = 0;
            for (String line : text.split("\n")) {
                Matcher m = CACHE_LOOKUPS.matcher(line);
                if (m.find()) {
                    double n = Double.parseDouble(m.group(2));
                    all += n;
                    if (m.group(1).startsWith("hit")) {
                        hits += n;
                    }
                }
            }
            if (all == 0) {
                return "**Cache:** no lookups yet";
            }
            return String.format(
                    java.util.Locale.ROOT,
                    "**Cache:** %.0f%% hit rate (%d of %d lookups)",
                    100 * hits / all,
                    (long) hits,
                    (long) all);
        } catch (UpstreamException e) {
            return "**Cache:** unknown (" + Readable.clip(e.getMessage()) + ")";
        }
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
                        java.util.Locale.ROOT,
                        "%,d chunks in '%s' (%s, %d dims)",
                        c.path("chunks").asLong(),
                        c.path("name").asText(),
                        c.path("embedding_model").asText("?"),
                        c.path("dimension").asInt()));
            }
            return "**Knowledge base:** " + String.join("; ", parts);
        } catch (UpstreamException e) {
            return "**Knowledge base:** unknown (" + Readable.clip(e.getMessage()) + ")";
        }
    }

    private static String readiness(ServiceClient client) {
        try {
            client.send("GET", "/health/ready", null, Map.of());
            return "ready ✅";
        } catch (UpstreamException e) {
            return "not ready ❌ " + Readable.clip(e.getMessage());
        }
    }

    private CompletableFuture<String> async(Supplier<String> part) {
        return CompletableFuture.supplyAsync(part, executor);
    }

    private static String join(CompletableFuture<String> part) {
        try {
            return part.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "(not available: " + e.getClass().getSimpleName() + ")";
        }
    }
}
