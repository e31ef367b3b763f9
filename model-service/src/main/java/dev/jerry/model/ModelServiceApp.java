package dev.jerry.model;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.api.ImageBodies;
import dev.jerry.model.api.InferenceRoutes;
import dev.jerry.model.api.OllamaModelRoutes;
import dev.jerry.model.api.OllamaRoutes;
import dev.jerry.model.api.OpenAiEmbeddings;
import dev.jerry.model.api.OpenAiRoutes;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.cache.SemanticCache;
import dev.jerry.model.console.ConsoleRoutes;
import dev.jerry.model.download.ModelDownloader;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.embedding.RemoteEmbeddingModel;
import dev.jerry.model.fleet.Fleet;
import dev.jerry.model.fleet.Node;
import dev.jerry.model.fleet.NodeRoutes;
import dev.jerry.model.inference.Inference;
import dev.jerry.model.inference.ModelRouter;
import dev.jerry.model.llama.LlamaCppBackend;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.llama.PresetBackend;
import dev.jerry.model.llamaserver.LlamaServerBackend;
import dev.jerry.model.llamaserver.LlamaServerBinary;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.openai.OpenAiBackend;
import dev.jerry.model.placement.Placement;
import dev.jerry.model.placement.PlacementRoutes;
import dev.jerry.model.status.StatusRoutes;
import dev.jerry.model.tasks.Distributor;
import dev.jerry.model.tasks.PullNode;
import dev.jerry.model.tasks.TaskBoard;
import dev.jerry.model.tasks.TaskRoutes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The composition root of model-service: everything is wired here with {@code new}. */
public final class ModelServiceApp {
    /** How long a probe result is reused, so that frequent readiness checks do not keep the backend busy. */
    static final Duration PROBE_TTL = Duration.ofSeconds(10);

    static final Duration DOWNLOAD_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DOWNLOAD_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Finished distribution tasks kept for {@code GET /v1/tasks} and the console. */
    static final int FINISHED_TASKS_KEPT = 200;

    private ModelServiceApp() {}

    /** Loads the configured backends and the embedding model, then builds the app. */
    public static ServiceApp create(ModelServiceConfig config, ServiceMetrics metrics) {
        List<Backend> backends = new ArrayList<>();
        BackendsConfig sources = config.backends();
        LlamaServerConfig engine = config.localEngine();
        sources.llama().map(llama -> localModel(llama, engine, metrics)).ifPresent(backends::add);
        sources.preset()
                .map(preset -> new PresetBackend(
                                preset,
                                new ModelDownloader(DOWNLOAD_CONNECT_TIMEOUT, DOWNLOAD_IDLE_TIMEOUT),
                                file -> localModel(file, engine, metrics))
                        .start())
                .ifPresent(backends::add);
        List<OllamaBackend> nodes = new ArrayList<>();
        sources.ollama().ifPresent(ollama -> {
            for (var url : ollama.urls()) {
                OllamaBackend node = new OllamaBackend(url, ollama, metrics);
                node.start();
                nodes.add(node);
            }
        });
        backends.addAll(nodes);
        Optional<OpenAiBackend> openai = sources.openai().map(c -> new OpenAiBackend(c, metrics));
        openai.ifPresent(backends::add);
        return create(config, metrics, backends, embedder(sources.embedding(), nodes, openai), ownedBy(backends));
    }

    /** Backends that own a process (llama-server children): they stop with the service that created them. */
    private static List<AutoCloseable> ownedBy(List<Backend> backends) {
        return backends.stream()
                .filter(AutoCloseable.class::isInstance)
                .map(AutoCloseable.class::cast)
                .toList();
    }

    /** A GGUF file run by upstream llama-server (a supervised child process), or in this process by the old binding. */
    private static Backend localModel(LlamaCppConfig model, LlamaServerConfig engine, ServiceMetrics metrics) {
        return switch (engine.engine()) {
            case SERVER -> new LlamaServerBackend(model, engine, metrics).start(() -> LlamaServerBinary.locate(engine));
            case JNI -> new LlamaCppBackend(model);
        };
    }

    /** The embedding model: in-process, or served by the first Ollama node or the OpenAI-compatible server. */
    private static Embedder embedder(
            EmbeddingConfig embedding, List<OllamaBackend> nodes, Optional<OpenAiBackend> openai) {
        String model = embedding.model().orElse(Embedder.BGE_SMALL);
        return switch (embedding.source()) {
            case IN_PROCESS -> Embedder.bgeSmall();
            case OLLAMA -> {
                OllamaBackend node = nodes.getFirst();
                node.pullIfMissing(model);
                yield new Embedder(
                        new RemoteEmbeddingModel(node.client(), RemoteEmbeddingModel.Dialect.OLLAMA, model), model);
            }
            case OPENAI ->
                new Embedder(
                        new RemoteEmbeddingModel(
                                openai.orElseThrow().client(), RemoteEmbeddingModel.Dialect.OPENAI, model),
                        model);
        };
    }

    /**
     * Builds the app around backends and an embedder that already exist (tests share one model per JVM); the caller
     * keeps them and closes them.
     */
    public static ServiceApp create(
            ModelServiceConfig config, ServiceMetrics metrics, List<Backend> backends, Embedder embedder) {
        return create(config, metrics, backends, embedder, List.of());
    }

    private static ServiceApp create(
            ModelServiceConfig config,
            ServiceMetrics metrics,
            List<Backend> backends,
            Embedder embedder,
            List<AutoCloseable> owned) {
        Fleet fleet = new Fleet(
                        config.fleet(),
                        config.backends().ollama(),
                        backends.stream()
                                .filter(OllamaBackend.class::isInstance)
                                .map(OllamaBackend.class::cast)
                                .toList(),
                        config.queue().concurrency(),
                        metrics)
                .start();
        List<AutoCloseable> resources = new ArrayList<>(owned);
        resources.add(fleet);
        ModelRouter router = new ModelRouter(backends, embedder, fleet);
        Distributor distributor = new Distributor(
                () -> fleet.nodes().stream().map(ModelServiceApp::pullNode).toList(),
                new TaskBoard(FINISHED_TASKS_KEPT),
                Clock.systemUTC());
        Placement placement = placement(config, fleet, distributor);
        SemanticCache cache = new SemanticCache(config.cache(), embedder, metrics, Ticker.systemTicker());
        Inference inference = new Inference(
                router, metrics, config.defaultMaxTokens(), config.fallbackModel(), cache, config.queue());
        List<HealthCheck> checks = new ArrayList<>();
        if (backends.isEmpty()) {
            checks.add(HealthCheck.of(
                    "chat-model", Duration.ofMillis(100), () -> HealthCheck.Result.down(ModelRouter.NO_MODEL)));
        }
        for (Backend backend : backends) {
            checks.add(HealthCheck.of(
                    backend.describe().name(),
                    Duration.ofMillis(1400),
                    new CachedProbe(backend::probe, PROBE_TTL)::check));
        }
        List<HealthCheck> backendChecks = List.copyOf(checks);
        inference
                .queues()
                .forEach((name, queue) -> checks.add(HealthCheck.of(
                        "queue:" + name,
                        Duration.ofMillis(100),
                        () -> HealthCheck.Result.up(Map.of(
                                "waiting",
                                queue.waitingCount(),
                                "running",
                                queue.runningCount(),
                                "concurrency",
                                queue.concurrency())))));
        checks.add(HealthCheck.of(
                "embeddings", Duration.ofMillis(1400), new CachedProbe(embedder::probe, PROBE_TTL)::check));
        var bodies = new ImageBodies(config.server().maxBodyBytes(), config.maxImageBodyBytes());
        return ServiceApp.create(
                config.server(),
                metrics,
                checks,
                List.of(
                        bodies,
                        new InferenceRoutes(inference, bodies),
                        new OllamaRoutes(inference, bodies),
                        new OllamaModelRoutes(inference),
                        new OpenAiRoutes(inference, bodies),
                        new OpenAiEmbeddings(inference),
                        new StatusRoutes(inference, backendChecks, metrics),
                        new NodeRoutes(fleet),
                        new TaskRoutes(distributor),
                        new PlacementRoutes(placement),
                        new ConsoleRoutes()),
                resources);
    }

    /** Distribution tasks and placement over the fleet's nodes; placement runs as each node comes online. */
    private static Placement placement(ModelServiceConfig config, Fleet fleet, Distributor distributor) {
        Placement placement = new Placement(
                config.placement(),
                config.backends().ollama().map(OllamaConfig::requiredModels).orElse(List.of()),
                distributor);
        fleet.onNodeOnline(node ->
                Thread.ofVirtual().name("placement-" + node.name()).start(() -> placement.apply(pullNode(node))));
        // the configured nodes that answered before the listener was there
        Thread.ofVirtual().name("placement").start(placement::applyToAll);
        return placement;
    }

    private static PullNode pullNode(Node node) {
        return new PullNode(
                node.name(), node.online(), node.lastError().orElse(null), node.vramBytes(), node.backend());
    }
}
