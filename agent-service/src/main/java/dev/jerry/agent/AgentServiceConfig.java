package dev.jerry.agent;

import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import java.net.URI;

/**
 * agent-service's configuration, read once at start-up.
 *
 * @param modelService {@code JERRY_MODEL_SERVICE_URL} and {@code JERRY_MODEL_SERVICE_TOKEN}
 * @param ragService {@code JERRY_RAG_SERVICE_URL} and {@code JERRY_RAG_SERVICE_TOKEN}
 */
public record AgentServiceConfig(ServerConfig server, UpstreamConfig modelService, UpstreamConfig ragService) {
    public static final String SERVICE = "agent";
    public static final int DEFAULT_PORT = 8083;

    public static AgentServiceConfig fromEnv(Env env) {
        return new AgentServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                UpstreamConfig.fromEnv(env, "MODEL_SERVICE", "model-service", URI.create("http://127.0.0.1:8081")),
                UpstreamConfig.fromEnv(env, "RAG_SERVICE", "rag-service", URI.create("http://127.0.0.1:8082")));
    }
}
