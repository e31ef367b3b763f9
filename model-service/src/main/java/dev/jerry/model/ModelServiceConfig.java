package dev.jerry.model;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.model.cache.CacheConfig;
import dev.jerry.model.download.Presets;
import dev.jerry.model.fleet.FleetConfig;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.placement.TierTable;
import dev.jerry.model.queue.QueueConfig;
import java.util.Optional;

/**
 * model-service's configuration, read once at start-up.
 *
 * @param backends where chat models come from
 * @param cache the semantic cache in front of inference
 * @param queue the fair queue in front of each backend
 * @param defaultMaxTokens {@code JERRY_DEFAULT_MAX_TOKENS}: tokens generated when a request does not say
 * @param fallbackModel {@code JERRY_FALLBACK_MODEL}: answers when the requested model's backend is down or busy
 * @param localEngine how a local GGUF file runs: upstream llama-server as a child process, or the in-process binding
 * @param fleet how the Ollama nodes are checked, retried, routed to and where registered ones are kept
 * @param placement {@code JERRY_PLACEMENT_TIERS}: the models a node should hold by its VRAM
 * @param maxImageBodyBytes {@code JERRY_MAX_IMAGE_BODY_BYTES}: the largest body of a chat request that carries images
 *     (base64 photos); any other request stays within {@code JERRY_MAX_BODY_BYTES}
 */
public record ModelServiceConfig(
        ServerConfig server,
        BackendsConfig backends,
        CacheConfig cache,
        QueueConfig queue,
        int defaultMaxTokens,
        Optional<String> fallbackModel,
        LlamaServerConfig localEngine,
        FleetConfig fleet,
        TierTable placement,
        long maxImageBodyBytes) {
    public static final String SERVICE = "model";
    public static final int DEFAULT_PORT = 8081;
    public static final int DEFAULT_MAX_TOKENS = 512;
    public static final String MAX_IMAGE_BODY_BYTES = "JERRY_MAX_IMAGE_BODY_BYTES";
    public static final long DEFAULT_MAX_IMAGE_BODY_BYTES = 16L * 1024 * 1024;

    public ModelServiceConfig {
        if (fallbackModel.isPresent() && !backends.any()) {
            throw new ConfigException("JERRY_FALLBACK_MODEL", "is set, but no backend is");
        }
    }

    /**
     * A configuration from the server and the backends, everything else at its default until set: no cache, the
     * default queue, 512 tokens, no fallback model, llama-server with the default data directory, the fleet's state
     * under the local engine's data directory, the presets' placement tiers, chat requests with images up to
     * {@value #DEFAULT_MAX_IMAGE_BODY_BYTES} bytes.
     */
    public static Builder builder(ServerConfig server, BackendsConfig backends) {
        return new Builder(server, backends);
    }

    /** This configuration with some parts changed. */
    public Builder toBuilder() {
        return new Builder(server, backends)
                .cache(cache)
                .queue(queue)
                .defaultMaxTokens(defaultMaxTokens)
                .fallbackModel(fallbackModel)
                .localEngine(localEngine)
                .fleet(fleet)
                .placement(placement)
                .maxImageBodyBytes(maxImageBodyBytes);
    }

    /** Sets the parts of a {@link ModelServiceConfig} one by one (tests and benches; the service reads its env). */
    public static final class Builder {
        private final ServerConfig server;
        private final BackendsConfig backends;
        private CacheConfig cache = CacheConfig.off();
        private QueueConfig queue = QueueConfig.defaults();
        private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
        private Optional<String> fallbackModel = Optional.empty();
        private LlamaServerConfig localEngine;
        private FleetConfig fleet;
        private TierTable placement;
        private long maxImageBodyBytes = DEFAULT_MAX_IMAGE_BODY_BYTES;

        private Builder(ServerConfig server, BackendsConfig backends) {
            this.server = server;
            this.backends = backends;
        }

        public Builder cache(CacheConfig cache) {
            this.cache = cache;
            return this;
        }

        public Builder queue(QueueConfig queue) {
            this.queue = queue;
            return this;
        }

        public Builder defaultMaxTokens(int tokens) {
            this.defaultMaxTokens = tokens;
            return this;
        }

        public Builder fallbackModel(Optional<String> model) {
            this.fallbackModel = model;
            return this;
        }

        public Builder localEngine(LlamaServerConfig engine) {
            this.localEngine = engine;
            return this;
        }

        public Builder fleet(FleetConfig fleet) {
            this.fleet = fleet;
            return this;
        }

        public Builder placement(TierTable placement) {
            this.placement = placement;
            return this;
        }

        public Builder maxImageBodyBytes(long bytes) {
            this.maxImageBodyBytes = bytes;
            return this;
        }

        public ModelServiceConfig build() {
            LlamaServerConfig engine =
                    localEngine != null ? localEngine : LlamaServerConfig.defaults(queue.concurrency());
            return new ModelServiceConfig(
                    server,
                    backends,
                    cache,
                    queue,
                    defaultMaxTokens,
                    fallbackModel,
                    engine,
                    fleet != null ? fleet : FleetConfig.defaults(engine.dataDir()),
                    placement != null ? placement : TierTable.ofPresets(Presets.shipped()),
                    maxImageBodyBytes);
        }
    }

    public static ModelServiceConfig fromEnv(Env env) {
        LlamaServerConfig localEngine = LlamaServerConfig.read(env);
        return new ModelServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                BackendsConfig.fromEnv(env),
                CacheConfig.fromEnv(env),
                QueueConfig.fromEnv(env),
                env.integer("JERRY_DEFAULT_MAX_TOKENS", DEFAULT_MAX_TOKENS, 1, 1 << 20),
                env.get("JERRY_FALLBACK_MODEL"),
                localEngine,
                FleetConfig.fromEnv(env, localEngine.dataDir()),
                TierTable.fromEnv(env),
                env.longValue(MAX_IMAGE_BODY_BYTES, DEFAULT_MAX_IMAGE_BODY_BYTES, 1024, Integer.MAX_VALUE));
    }
}
