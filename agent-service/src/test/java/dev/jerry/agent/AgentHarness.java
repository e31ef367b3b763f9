package dev.jerry.agent;

import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.rag.RagServiceApp;
import dev.jerry.rag.RagServiceConfig;
import dev.jerry.testing.ChromaServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The real agent-service on a random port, with its conversations in a SQLite file under a test's folder. */
public final class AgentHarness {
    public static final String MODEL = "jerry-test";

    private AgentHarness() {}

    /** agent-service asking model-service at {@code modelUrl} for {@value #MODEL}; {@code extraEnv} adds or overrides. */
    public static ServiceApp start(Path dir, String modelUrl, String ragUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of(
                "JERRY_AGENT_PORT",
                "0",
                "JERRY_MODEL_SERVICE_URL",
                modelUrl,
                "JERRY_RAG_SERVICE_URL",
                ragUrl,
                "JERRY_AGENT_MODEL",
                MODEL,
                "JERRY_DATABASE_URL",
                "jdbc:sqlite:" + dir.resolve("agent.db")));
        env.putAll(extraEnv);
        var config = AgentServiceConfig.fromEnv(Env.of(env));
        return AgentServiceApp.create(
                        config,
                        new ServiceMetrics("agent"),
                        new MemoryStore(config.database().url(), "", "").migrate())
                .start();
    }

    /** The real rag-service over the Chroma of a test, on a random port. */
    public static ServiceApp rag(ChromaServer chroma, InProcessEmbeddings embeddings) {
        return RagServiceApp.create(
                        RagServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_RAG_PORT",
                                "0",
                                "JERRY_CHROMA_URL",
                                chroma.baseUrl().toString()))),
                        new ServiceMetrics("rag"),
                        embeddings)
                .start();
    }

    /** A {@code POST /v1/chat} body for user 42 (Alice) in {@code dm:42}. */
    public static String ask(String message, boolean stream) {
        return Json.write(Map.of(
                "conversation_id",
                "dm:42",
                "user",
                Map.of("id", "42", "name", "Alice"),
                "message",
                message,
                "stream",
                stream));
    }
}
