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
    public static final String MAX_IMAGE_BODY_BYTES = "JERRY_MAX_IMAGE_BODY_BYTES";
    public static final long DEFAULT_MAX_IMAGE_BODY_BYTES = 16L * 1024 * 1024;

    public ModelServiceConfig {
        if (fallbackModel.isPresent() && !backends.any()) {
            throw new ConfigException("JERRY_FALLBACK_MODEL", "is set, but no backend is");
        }
    }

    /** A configuration whose chat requests with images may be up to {@value #DEFAULT_MAX_IMAGE_BODY_BYTES} bytes. */
    public ModelServiceConfig(
            ServerConfig server,
            BackendsConfig backends,
            CacheConfig cache,
            QueueConfig queue,
            int defaultMaxTokens,
            Optional<String> fallbackModel,
            LlamaServerConfig localEngine,
            FleetConfig fleet,
            TierTable placement) {
        this(
                server,
                backends,
                cache,
                queue,
                defaultMaxTokens,
                fallbackModel,
                localEngine,
                fleet,
                placement,
                DEFAULT_MAX_IMAGE_BODY_BYTES);
    }

    /** A configuration whose placement tiers are the model presets'. */
    public ModelServiceConfig(
            ServerConfig server,
            BackendsConfig backends,
            CacheConfig cache,
            QueueConfig queue,
            int defaultMaxTokens,
            Optional<String> fallbackModel,
            LlamaServerConfig localEngine,
            FleetConfig fleet) {
        this(
                server,
                backends,
                cache,
                queue,
                defaultMaxTokens,
                fallbackModel,
                localEngine,
                fleet,
                TierTable.ofPresets(Presets.shipped()));
    }

    /** A configuration whose registered nodes are kept under the local engine's data directory. */
    public ModelServiceConfig(
            ServerConfig server,
            BackendsConfig backends,
            CacheConfig cache,
            QueueConfig queue,
            int defaultMaxTokens,
            Optional<String> fallbackModel,
            LlamaServerConfig localEngine) {
        this(
                server,
                backends,
                cache,
                queue,
                defaultMaxTokens,
                fallbackModel,
                localEngine,
                FleetConfig.defaults(localEngine.dataDir()));
    }

    /** A configuration whose local GGUF files (if any) run under llama-server with the default data directory. */
    public ModelServiceConfig(
            ServerConfig server,
            BackendsConfig backends,
            CacheConfig cache,
            QueueConfig queue,
            int defaultMaxTokens,
            Optional<String> fallbackModel) {
        this(
                server,
                backends,
                cache,
                queue,
                defaultMaxTokens,
                fallbackModel,
                LlamaServerConfig.defaults(queue.concurrency()));
    }

    public static ModelServiceConfig fromEnv(Env env) {
        LlamaServerConfig localEngine = LlamaServerConfig.read(env);
        return new ModelServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                BackendsConfig.fromEnv(env),
                CacheConfig.fromEnv(env),
                QueueConfig.fromEnv(env),
                env.integer("JERRY_DEFAULT_MAX_TOKENS", 512, 1, 1 << 20),
                env.get("JERRY_FALLBACK_MODEL"),
                localEngine,
                FleetConfig.fromEnv(env, localEngine.dataDir()),
                TierTable.fromEnv(env),
                env.longValue(MAX_IMAGE_BODY_BYTES, DEFAULT_MAX_IMAGE_BODY_BYTES, 1024, Integer.MAX_VALUE));
    }
}
