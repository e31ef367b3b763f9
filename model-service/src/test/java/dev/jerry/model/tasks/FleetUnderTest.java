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
import dev.jerry.model.backend.Backend;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * model-service with auth on in front of named Ollama doubles, each with a declared VRAM: what the distribution ITs and
 * the console's browser test run against.
 */
public final class FleetUnderTest implements AutoCloseable {
    public static final String TOKEN = "console-token-0123456789abcdef";
    private static Embedder embedder;

    private record Member(OllamaDouble ollama, int vramGib) {}

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private ServiceApp app;

    /** A node called {@code name} with {@code vramGib} of VRAM; configure the returned double before {@link #start}. */
    public OllamaDouble node(String name, int vramGib) {
        OllamaDouble ollama = OllamaDouble.start();
        running.add(ollama);
        members.put(name, new Member(ollama, vramGib));
        return ollama;
    }

    public FleetUnderTest start() {
        synchronized (FleetUnderTest.class) {
            if (embedder == null) {
                embedder = Embedder.bgeSmall();
            }
        }
        List<URI> urls =
                members.values().stream().map(m -> m.ollama().baseUrl()).toList();
        OllamaConfig ollama = new OllamaConfig(
                urls, Optional.empty(), List.of(), true, Duration.ofSeconds(30), Duration.ofSeconds(30));
        ServiceMetrics metrics = new ServiceMetrics("model");
        List<Backend> backends = new ArrayList<>();
        for (var member : members.entrySet()) {
            OllamaBackend node = new OllamaBackend(member.getValue().ollama().baseUrl(), ollama, metrics);
            node.start();
            backends.add(node);
            names.put(member.getKey(), node.describe().name());
        }
        var config = new ModelServiceConfig(
                ServerConfig.forTests("model", new AuthConfig(Map.of("admin", new Secret(TOKEN)), false)),
                new BackendsConfig(
                        Optional.empty(),
                        Optional.of(ollama),
                        Optional.empty(),
                        Optional.empty(),
                        EmbeddingConfig.inProcess()),
                CacheConfig.off(),
                QueueConfig.defaults(),
                64,
                Optional.empty());
        app = ModelServiceApp.create(config, metrics, backends, embedder).start();
        running.add(app::stop);
        return this;
    }

    /** The name model-service knows the node by. */
    public String name(String node) {
        return names.getOrDefault(node, node);
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
        List<String> named = Arrays.stream(nodes).map(this::name).toList();
        return post("/v1/models/distribute", Json.write(Map.of("model", model, "nodes", named)));
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
