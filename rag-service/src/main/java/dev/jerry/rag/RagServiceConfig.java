package dev.jerry.rag;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import java.net.URI;

/**
 * rag-service's configuration, read once at start-up.
 *
 * @param chromaUrl the Chroma server ({@code JERRY_CHROMA_URL}), v2 API
 */
public record RagServiceConfig(ServerConfig server, URI chromaUrl) {
    public static final String SERVICE = "rag";
    public static final int DEFAULT_PORT = 8082;
    public static final URI DEFAULT_CHROMA_URL = URI.create("http://127.0.0.1:8000");

    public static RagServiceConfig fromEnv(Env env) {
        return new RagServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                env.url("JERRY_CHROMA_URL").orElse(DEFAULT_CHROMA_URL));
    }
}
