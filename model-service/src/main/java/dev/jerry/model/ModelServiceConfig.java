package dev.jerry.model;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.model.llama.LlamaCppConfig;
import java.util.Optional;

/**
 * model-service's configuration, read once at start-up.
 *
 * @param llama the in-process llama.cpp backend, when {@code JERRY_MODEL_PATH} is set
 * @param defaultMaxTokens {@code JERRY_DEFAULT_MAX_TOKENS}: tokens generated when a request does not say
 */
public record ModelServiceConfig(ServerConfig server, Optional<LlamaCppConfig> llama, int defaultMaxTokens) {
    public static final String SERVICE = "model";
    public static final int DEFAULT_PORT = 8081;

    public static ModelServiceConfig fromEnv(Env env) {
        return new ModelServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                LlamaCppConfig.fromEnv(env),
                env.integer("JERRY_DEFAULT_MAX_TOKENS", 512, 1, 1 << 20));
    }
}
