package dev.jerry.model.tasks;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.fleet.FleetConfig;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.placement.TierTable;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * model-service with auth on and no configured node, in front of Ollama doubles registered by name with a declared
 * VRAM ({@code POST /v1/nodes}): what the distribution and placement ITs and the console's browser test run against.
 * Registered nodes are kept under {@code dir}.
 */
public final class FleetUnderTest implements AutoCloseable {
    public static final String TOKEN = "console-token-0123456789abcdef";
    private static Embedder embedder;

    private final Path dir;
    private final Map<String, OllamaDouble> pending = new LinkedHashMap<>();
    private final Map<String, Integer> vram = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private TierTable tiers = TierTable.off();
    private ServiceApp app;

    public FleetUnderTest(Path dir) {
        this.dir = dir;
    }

    /** A node called {@code name} with {@code vramGib} of VRAM; configure the returned double before {@link #start}. */
    public OllamaDouble node(String name, int vramGib) {
        OllamaDouble ollama = OllamaDouble.start();
        running.add(ollama);
        pending.put(name, ollama);
        vram.put(name, vramGib);
        return ollama;
    }

    /** The placement tiers ({@code JERRY_PLACEMENT_TIERS}); off unless set. */
    public FleetUnderTest tiers(String table) {
        this.tiers = TierTable.fromEnv(dev.jerry.kit.config.Env.of(Map.of(TierTable.VARIABLE, table)));
        return this;
    }

    /** Starts model-service and registers every node declared so far. */
    public FleetUnderTest start() {
        synchronized (FleetUnderTest.class) {
            if (embedder == null) {
                embedder = Embedder.bgeSmall();
            }
        }
        // the settings registered nodes share; no node is configured
        OllamaConfig ollama = new OllamaConfig(
                List.of(URI.create("http://127.0.0.1:9")),
                Optional.empty(),
                List.of(),
                true,
                Duration.ofSeconds(30),
                // also how long a node's check may wait for an answer: a node that hangs is offline soon
                Duration.ofSeconds(5));
        ServiceMetrics metrics = new ServiceMetrics("model");
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", new AuthConfig(Map.of("admin", new Secret(TOKEN)), false)),
                        BackendsConfig.ollama(ollama))
                .defaultMaxTokens(64)
                .localEngine(LlamaServerConfig.defaults(1))
                .fleet(new FleetConfig(dir.resolve("nodes.json"), Duration.ofMillis(200), Duration.ofSeconds(1), true))
                .placement(tiers)
                .build();
        app = ModelServiceApp.create(config, metrics, List.of(), embedder).start();
        running.add(app::stop);
        pending.forEach((name, node) -> register(name, node));
        return this;
    }

    /** Registers a node at run time, as an operator does. */
    public HttpResponse<String> register(String name, OllamaDouble node) {
        var response = post(
                "/v1/nodes",
                Json.write(Map.of(
                        "name", name, "url", node.baseUrl().toString(), "vram_gib", vram.getOrDefault(name, 8))));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("could not register " + name + ": " + response.body());
        }
        return response;
    }

    /** The name model-service knows the node by. */
    public String name(String node) {
        return node;
    }

    public URI baseUrl() {
        return app.baseUrl();
    }

    public String[] auth() {
        return new String[] {"Authorization", "Bearer " + TOKEN};
    }

    public HttpResponse<String> post(String path, String body) {
        return Http.post(baseUrl(), path, body, auth());
    }

    public HttpResponse<String> distribute(String model, String... nodes) {
        return post("/v1/models/distribute", Json.write(Map.of("model", model, "nodes", Arrays.asList(nodes))));
    }

    public HttpResponse<String> distributeToAll(String model) {
        return post("/v1/models/distribute", Json.write(Map.of("model", model, "nodes", "all")));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }
}
