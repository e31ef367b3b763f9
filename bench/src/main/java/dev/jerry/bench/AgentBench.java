package dev.jerry.bench;

import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.memory.Message;
import dev.jerry.agent.memory.User;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.jerry.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * agent-service benchmarks (docs/performance.md): the time a turn spends in the agent itself (HTTP, memory read and
 * write, prompt assembly, LangChain4j), as a turn's latency minus a direct call to the same instant Ollama double;
 * and the memory store's read and write latency on SQLite and, when installed, PostgreSQL. Run:
 * {@code java -cp bench/target/bench.jar dev.jerry.bench.AgentBench [turns]}.
 */
public final class AgentBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AgentBench() {}

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("jerry-agent-bench-");
        try (OllamaDouble ollama = OllamaDouble.start().withModel("bench")) {
            ServiceApp agent = agentService(ollama, dir);
            try {
                overhead(agent.baseUrl(), ollama.baseUrl(), turns);
            } finally {
                agent.stop();
            }
        }
        store("SQLite", new MemoryStore("jdbc:sqlite:" + dir.resolve("store.db"), "", "").migrate(), turns);
        try {
            PostgresServer postgres = PostgresServer.shared();
            store("PostgreSQL", new MemoryStore(postgres.jdbcUrl(), postgres.user(), "").migrate(), turns);
        } catch (RuntimeException e) {
            System.out.println("PostgreSQL: skipped (" + e.getMessage() + ")");
        }
        System.exit(0);
    }

    /** Turns of ten questions per conversation: memory holds up to nine earlier turns, as in a real chat. */
    /** The real agent-service on a free port, its model the Ollama double's "bench", memory in SQLite in {@code dir}. */
    static ServiceApp agentService(OllamaDouble ollama, Path dir) {
        var config = AgentServiceConfig.fromEnv(Env.of(Map.of(
                "JERRY_AGENT_PORT",
                "0",
                "JERRY_MODEL_SERVICE_URL",
                ollama.baseUrl().toString(),
                "JERRY_RAG_SERVICE_URL",
                "http://127.0.0.1:" + Ports.free(),
                "JERRY_AGENT_MODEL",
                "bench",
                "JERRY_DATABASE_URL",
                "jdbc:sqlite:" + dir.resolve("agent.db"))));
        return AgentServiceApp.create(
                        config,
                        new ServiceMetrics("agent"),
                        new MemoryStore(config.database().url(), "", "").migrate())
                .start();
    }

    private static void overhead(URI agent, URI ollama, int turns) throws Exception {
        int warmUp = Math.max(200, turns / 5);
        long[] turn = new long[turns];
        long[] direct = new long[turns];
        for (int i = -warmUp; i < turns; i++) {
            String conversation = "dm:" + (1_000_000 + (i + warmUp) / 10);
            String question = "What is the boiling point of water at sea level, question " + i + "?";
            long t0 = System.nanoTime();
            post(
                    ollama.resolve("/api/chat"),
                    Json.write(Map.of(
                            "model",
                            "bench",
                            "stream",
                            false,
                            "messages",
                            List.of(Map.of("role", "user", "content", question)))));
            long t1 = System.nanoTime();
            post(
                    agent.resolve("/v1/chat"),
                    Json.write(Map.of(
                            "conversation_id", conversation,
                            "user", Map.of("id", conversation.substring(3), "name", "Bench"),
                            "message", question)));
            long t2 = System.nanoTime();
            if (i >= 0) {
                direct[i] = t1 - t0;
                turn[i] = t2 - t1;
            }
        }
        Arrays.sort(turn);
        Arrays.sort(direct);
        System.out.printf("agent turn, %d turns (instant model, no tool)%n", turns);
        System.out.printf("  model call alone  p50 %6.2f ms  p99 %6.2f ms%n", ms(p(direct, 50)), ms(p(direct, 99)));
        System.out.printf("  whole turn        p50 %6.2f ms  p99 %6.2f ms%n", ms(p(turn, 50)), ms(p(turn, 99)));
        System.out.printf(
                "  agent overhead    p50 %6.2f ms  p99 %6.2f ms%n",
                ms(p(turn, 50) - p(direct, 50)), ms(p(turn, 99) - p(direct, 99)));
    }

    private static void store(String name, MemoryStore store, int operations) {
        long[] write = new long[operations];
        long[] read = new long[operations];
        User user = new User("7", "Bench");
        String run = Long.toString(System.nanoTime() % 1_000_000);
        for (int i = 0; i < operations; i++) {
            String conversation = "guild:" + run + ":channel:1:user:" + (i / 10);
            List<Message> pair = List.of(
                    new Message(0, "user", "question " + i, Instant.now()),
                    new Message(0, "assistant", "answer " + i, Instant.now()));
            long t0 = System.nanoTime();
            store.append(conversation, user, pair);
            long t1 = System.nanoTime();
            store.conversation(conversation, 20);
            long t2 = System.nanoTime();
            write[i] = t1 - t0;
            read[i] = t2 - t1;
        }
        Arrays.sort(write);
        Arrays.sort(read);
        System.out.printf("memory store, %s, %d turns%n", name, operations);
        System.out.printf("  append a turn     p50 %6.2f ms  p99 %6.2f ms%n", ms(p(write, 50)), ms(p(write, 99)));
        System.out.printf("  read 20 turns     p50 %6.2f ms  p99 %6.2f ms%n", ms(p(read, 50)), ms(p(read, 99)));
    }

    private static void post(URI uri, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
