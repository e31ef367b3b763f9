package dev.jerry.model;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;

/** model-service's configuration, read once at start-up. */
public record ModelServiceConfig(ServerConfig server) {
    public static final String SERVICE = "model";
    public static final int DEFAULT_PORT = 8081;

    public static ModelServiceConfig fromEnv(Env env) {
        return new ModelServiceConfig(ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT));
    }
}
