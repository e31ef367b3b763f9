package dev.jerry.agent;

import dev.jerry.agent.attach.AttachmentConfig;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * agent-service's configuration, read once at start-up.
 *
 * @param modelService {@code JERRY_MODEL_SERVICE_URL} and {@code JERRY_MODEL_SERVICE_TOKEN}
 * @param ragService {@code JERRY_RAG_SERVICE_URL} and {@code JERRY_RAG_SERVICE_TOKEN}
 * @param database where conversations are kept
 * @param model {@code JERRY_AGENT_MODEL}: the chat model asked for at model-service ({@code default}: its default)
 * @param turnTimeout {@code JERRY_AGENT_TURN_TIMEOUT}: longest a model call of a turn may take
 * @param searxngUrl {@code JERRY_SEARXNG_URL}: a SearXNG instance for web_search (none: no web search)
 * @param personasFile {@code JERRY_PERSONAS_FILE}: personas other than the shipped ones
 * @param historyTokens {@code JERRY_AGENT_HISTORY_TOKENS}: turns kept word for word before older ones are summarized
 * @param attachments files attached to conversations ({@code JERRY_ATTACHMENT_*}); the request body limit is raised
 *     to carry the largest one
 */
public record AgentServiceConfig(
        ServerConfig server,
        UpstreamConfig modelService,
        UpstreamConfig ragService,
        Database database,
        String model,
        Duration turnTimeout,
        Optional<URI> searxngUrl,
        Optional<Path> personasFile,
        int historyTokens,
        AttachmentConfig attachments) {
    /**
     * @param url {@code JERRY_DATABASE_URL}: {@code jdbc:sqlite:FILE} (default: {@code agent.db} in
     *     {@code JERRY_DATA_DIR}) or {@code jdbc:postgresql://HOST/DB}
     */
    public record Database(String url, String user, Optional<Secret> password) {
        public Database {
            if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException(
                        "JERRY_DATABASE_URL", "must start with jdbc:sqlite: or jdbc:postgresql:, got '" + url + "'");
            }
        }

        static Database fromEnv(Env env) {
            Path dir = dataDir(env);
            return new Database(
                    env.string("JERRY_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("agent.db")),
                    env.string("JERRY_DATABASE_USER", ""),
                    env.secret("JERRY_DATABASE_PASSWORD"));
        }
    }

    public static final String SERVICE = "agent";
    public static final int DEFAULT_PORT = 8083;

    /** {@code JERRY_DATA_DIR}: agent-service's own folder (default {@code ~/.local/share/jerry}). */
    static Path dataDir(Env env) {
        return Path.of(env.string(
                "JERRY_DATA_DIR",
                Path.of(System.getProperty("user.home"), ".local", "share", "jerry")
                        .toString()));
    }

    public static AgentServiceConfig fromEnv(Env env) {
        AttachmentConfig attachments = AttachmentConfig.fromEnv(env, dataDir(env));
        ServerConfig server = ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT);
        return new AgentServiceConfig(
                server.withMaxBodyBytes(Math.max(server.maxBodyBytes(), attachments.maxBodyBytes())),
                UpstreamConfig.fromEnv(env, "MODEL_SERVICE", "model-service", URI.create("http://127.0.0.1:8081")),
                UpstreamConfig.fromEnv(env, "RAG_SERVICE", "rag-service", URI.create("http://127.0.0.1:8082")),
                Database.fromEnv(env),
                env.string("JERRY_AGENT_MODEL", "default"),
                env.duration("JERRY_AGENT_TURN_TIMEOUT", Duration.ofMinutes(2)),
                env.url("JERRY_SEARXNG_URL"),
                env.get("JERRY_PERSONAS_FILE").map(Path::of),
                env.integer("JERRY_AGENT_HISTORY_TOKENS", 1500, 50, 1_000_000),
                attachments);
    }
}
