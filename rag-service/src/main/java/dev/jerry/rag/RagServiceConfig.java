package dev.jerry.rag;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.knowledge.KnowledgeConfig;

/** rag-service's configuration, read once at start-up: its server and the knowledge base it searches. */
public record RagServiceConfig(ServerConfig server, KnowledgeConfig knowledge) {
    public static final String SERVICE = "rag";
    public static final int DEFAULT_PORT = 8082;

    public static RagServiceConfig fromEnv(Env env) {
        return new RagServiceConfig(ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT), KnowledgeConfig.fromEnv(env));
    }
}
