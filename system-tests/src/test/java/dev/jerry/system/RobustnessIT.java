package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.jerry.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack as processes, started all at once, then each part killed with SIGKILL in the middle of its work:
 * nothing a caller was told had succeeded is lost, and what cannot be answered says so instead of hanging. The
 * model is an Ollama double that streams slowly when a test needs a generation to be under way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "jerry-test";
    private static final String FACT = "The cooling pumps of reactor nine run on heavy water at 40 bar.";

    private Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private OllamaDouble ollama;
    private DiscordDouble discord;
    private ChromaServer chroma;
    private Path chromaData;
    private int chromaPort;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private Path logs;

    private static String token(String who) {
        return who + "-token-0123456789abcdef";
    }

    private static String auth(String who) {
        return "Bearer " + token(who);
    }

    @BeforeAll
    void start_everything_at_once(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        // kept after the run (target/), for a failure's post-mortem
        logs = Files.createDirectories(
                Path.of("target", "robustness-logs", String.valueOf(System.currentTimeMillis())));
        chromaData = Files.createDirectories(dir.resolve("chroma"));
        chromaPort = Ports.free();
        chroma = ChromaServer.start(chromaData, chromaPort);
        ollama = OllamaDouble.start().withModel(MODEL);
        running.add(ollama);
        discord = DiscordDouble.start();
        running.add(discord);

        int modelPort = Ports.free();
        int ragPort = Ports.free();
        int agentPort = Ports.free();
        int botPort = Ports.free();
        String modelUrl = "http://127.0.0.1:" + modelPort;
        String ragUrl = "http://127.0.0.1:" + ragPort;
        String agentUrl = "http://127.0.0.1:" + agentPort;
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        envs.put(
                "model-service",
                Map.of(
                        "JERRY_MODEL_PORT",
                        String.valueOf(modelPort),
                        "JERRY_AUTH_TOKENS",
                        "agent:" + token("agent") + ",rag:" + token("rag"),
                        "JERRY_OLLAMA_URL",
                        ollama.baseUrl().toString(),
                        "JERRY_OLLAMA_MODELS",
                        MODEL,
                        "JERRY_CACHE_ENABLED",
                        "false",
                        "JERRY_DATA_DIR",
                        dir.resolve("model").toString()));
        envs.put(
                "rag-service",
                Map.of(
                        "JERRY_RAG_PORT", String.valueOf(ragPort),
                        "JERRY_AUTH_TOKENS", "agent:" + token("agent-rag") + ",test:" + token("test"),
                        "JERRY_CHROMA_URL", chroma.baseUrl().toString(),
                        "JERRY_MODEL_SERVICE_URL", modelUrl,
                        "JERRY_MODEL_SERVICE_TOKEN", token("rag"),
                        "JERRY_DATA_DIR", dir.resolve("rag").toString()));
        envs.put(
                "agent-service",
                Map.of(
                        "JERRY_AGENT_PORT",
                        String.valueOf(agentPort),
                        "JERRY_AUTH_TOKENS",
                        "bot:" + token("bot"),
                        "JERRY_MODEL_SERVICE_URL",
                        modelUrl,
                        "JERRY_MODEL_SERVICE_TOKEN",
                        token("agent"),
                        "JERRY_RAG_SERVICE_URL",
                        ragUrl,
                        "JERRY_RAG_SERVICE_TOKEN",
                        token("agent-rag"),
                        "JERRY_AGENT_MODEL",
                        MODEL,
                        "JERRY_DATA_DIR",
                        dir.resolve("agent").toString()));
        envs.put(
                "bot-service",
                Map.of(
                        "JERRY_BOT_PORT", String.valueOf(botPort),
                        "JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN,
                        "JERRY_DISCORD_API_URL", discord.restUrl(),
                        "JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl(),
                        "JERRY_AGENT_SERVICE_URL", agentUrl,
                        "JERRY_AGENT_SERVICE_TOKEN", token("bot"),
                        "JERRY_BOT_EDIT_INTERVAL", "300ms",
                        "JERRY_DATA_DIR", dir.resolve("bot").toString()));
        Map<String, Integer> ports = Map.of(
                "model-service", modelPort, "rag-service", ragPort, "agent-service", agentPort, "bot-service", botPort);

        // all four JVMs start at the same moment: native libraries (ONNX runtime, llama.cpp) load side by side
        ExecutorService starter = Executors.newFixedThreadPool(envs.size());
        try {
            Map<String, Future<ServiceProcess>> starting = new LinkedHashMap<>();
            envs.forEach((module, env) -> starting.put(
                    module, starter.submit(() -> ServiceProcess.start(module, ports.get(module), env, logs))));
            for (var entry : starting.entrySet()) {
                ServiceProcess process = entry.getValue().get(6, TimeUnit.MINUTES);
                running.add(process);
                services.put(entry.getKey(), process);
            }
        } finally {
            starter.shutdown();
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        if (chroma != null) {
            chroma.close();
        }
    }

    private ServiceProcess service(String module) {
        return services.get(module);
    }

    private static int ready(ServiceProcess service) {
        try {
            return Http.get(service.baseUrl(), "/health/ready", "Authorization", auth("test"))
                    .statusCode();
        } catch (RuntimeException notAnswering) {
            return -1;
        }
    }

    private void awaitAllReady() {
        services.forEach((module, service) -> await(module + " ready")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> ready(service) == 200));
    }

    @Test
    void should_start_every_service_at_once_without_a_crash_and_become_ready() {
        // given: the four services started in parallel (above)
        // then
        services.forEach(
                (module, service) -> assertThat(service.alive()).as(module).isTrue());
        awaitAllReady();
        awaitBot();
    }

    private void awaitBot() {
        DiscordDouble.await(
                () -> discord.commands().containsKey("jerry"), WAIT, () -> "the bot registered no commands");
    }

    /** One turn of Alice's conversation, waiting as long as a turn may take (Http's helpers give up after 10 s). */
    private HttpResponse<String> turn(String message) {
        var request = HttpRequest.newBuilder(service("agent-service").baseUrl().resolve("/v1/chat"))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .header("Authorization", auth("bot"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"conversation_id\": \"dm:42\", \"user\": {\"id\": \"42\", \"name\": \"Alice\"}, "
                                + "\"message\": \"" + message + "\"}"))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_keep_every_acknowledged_turn_when_agent_service_is_killed_mid_turn() throws Exception {
        awaitAllReady();
        // given: three turns the agent acknowledged
        List<String> acknowledged = List.of("first question", "second question", "third question");
        for (String message : acknowledged) {
            HttpResponse<String> answer = turn(message);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }

        // when: a fourth turn is being generated (slowly) and agent-service is killed
        int asked = ollama.requests("/api/chat").size();
        ollama.tokenDelay(Duration.ofMillis(300)).defaultReply("a long and slow answer ".repeat(20));
        try {
            CompletableFuture<HttpResponse<String>> fourth =
                    CompletableFuture.supplyAsync(() -> turn("fourth question"));
            await("the fourth turn reaches the model")
                    .atMost(WAIT)
                    .until(() -> ollama.requests("/api/chat").size() > asked);
            service("agent-service").kill();
            assertThat(fourth)
                    .as("the caller of the killed turn is not left waiting")
                    .failsWithin(WAIT);
        } finally {
            ollama.tokenDelay(Duration.ZERO).defaultReply(null);
        }
        service("agent-service").restart();

        // then: every acknowledged turn, question and answer, is still in the conversation
        var conversation =
                Http.get(service("agent-service").baseUrl(), "/v1/conversations/dm:42", "Authorization", auth("bot"));
        assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(200);
        List<String> contents =
                JSON.readTree(conversation.body()).path("recent").findValuesAsText("content");
        assertThat(contents).containsSubsequence(acknowledged);
        assertThat(JSON.readTree(conversation.body()).path("recent").findValuesAsText("role"))
                .filteredOn("assistant"::equals)
                .hasSizeGreaterThanOrEqualTo(acknowledged.size());
    }

    @Test
    void should_keep_a_completed_ingest_when_chroma_is_killed() throws Exception {
        awaitAllReady();
        // given: a document ingested to the end (exit 0)
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("reactor-nine.md"), "# Reactor nine\n\n" + FACT + "\n");
        Path log = logs.resolve("ingestion.log");
        int exit = ServiceProcess.ingest(
                Map.of(
                        "JERRY_CHROMA_URL",
                        chroma.baseUrl().toString(),
                        "JERRY_DATA_DIR",
                        dir.resolve("ingestion").toString()),
                log,
                docs);
        assertThat(exit).as(Files.readString(log)).isZero();
        assertThat(search().statusCode()).isEqualTo(200);

        // when: Chroma is killed; a search meanwhile is told so
        chroma.kill();
        HttpResponse<String> during = search();
        assertThat(during.statusCode()).as(during.body()).isIn(200, 503); // 200: answered from the lexical index
        if (during.statusCode() == 503) {
            assertThat(Http.errorMessage(during)).containsIgnoringCase("chroma").doesNotContain("Exception");
        }

        // then: back on the same data, the ingested passage is found again
        chroma = ChromaServer.start(chromaData, chromaPort);
        await("rag-service finds the passage again").atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> after = search();
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(JSON.readTree(after.body()).path("results").findValuesAsText("text"))
                    .anySatisfy(text -> assertThat(text).contains("40 bar"));
        });
    }

    @Test
    void should_rank_the_same_when_rag_service_is_killed_mid_search_and_restarted() throws Exception {
        awaitAllReady();
        // given: an ingested document and the ranking rag-service gives for a question
        Path docs = Files.createDirectories(dir.resolve("valves"));
        Files.writeString(
                docs.resolve("reactor-nine-valves.md"),
                "# Valves\n\nThe relief valves of reactor nine open at 55 bar.\n\n# Pumps\n\n" + FACT + "\n");
        Path log = logs.resolve("ingestion-valves.log");
        int exit = ServiceProcess.ingest(
                Map.of(
                        "JERRY_CHROMA_URL",
                        chroma.baseUrl().toString(),
                        "JERRY_DATA_DIR",
                        dir.resolve("ingestion-valves").toString()),
                log,
                docs);
        assertThat(exit).as(Files.readString(log)).isZero();
        await("rag-service finds the new document")
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(search().body()).contains("reactor-nine-valves.md"));
        HttpResponse<String> before = search();
        List<String> ranking = JSON.readTree(before.body()).path("results").findValuesAsText("chunk_id");
        assertThat(ranking).isNotEmpty();

        // when: rag-service is killed while searches keep coming
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                try {
                    search();
                } catch (RuntimeException refused) {
                    return; // the service is gone: the caller is told at once
                }
            }
        });
        service("rag-service").kill();
        assertThat(burst).as("searches under way when rag-service died end").succeedsWithin(WAIT);
        service("rag-service").restart();

        // then: back up over the same collection, the same question gets the same ranking
        await("rag-service answers again").atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> after = search();
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(JSON.readTree(after.body()).path("results").findValuesAsText("chunk_id"))
                    .isEqualTo(ranking);
        });
    }

    private HttpResponse<String> search() {
        return Http.post(
                service("rag-service").baseUrl(),
                "/v1/search",
                "{\"query\": \"What do the cooling pumps of reactor nine run on?\"}",
                "Authorization",
                auth("test"));
    }

    @Test
    void should_tell_the_user_when_model_service_is_killed_mid_answer() throws Exception {
        awaitAllReady();
        awaitBot();
        // given: an answer being streamed to a Discord user, slowly
        int asked = ollama.requests("/api/chat").size();
        ollama.tokenDelay(Duration.ofMillis(300)).defaultReply("a long and slow answer ".repeat(20));
        try {
            var interaction = discord.slash(
                    "jerry", Map.of("prompt", "Tell me a long story"), DiscordDouble.ALICE, DiscordDouble.CHANNEL_ID);
            await("the answer is being generated")
                    .atMost(WAIT)
                    .until(() -> ollama.requests("/api/chat").size() > asked);

            // when: model-service dies
            service("model-service").kill();

            // then: the user reads that the model is unavailable, in plain words
            var told = interaction.await(i -> i.text().contains("⚠️"), WAIT);
            assertThat(told.text()).containsIgnoringCase("model").doesNotContain("Exception");
        } finally {
            ollama.tokenDelay(Duration.ZERO).defaultReply(null);
        }

        // and a direct caller of the agent gets a 503 naming model-service, not a hang
        HttpResponse<String> direct = turn("are you there?");
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(503);
        assertThat(Http.errorMessage(direct)).contains("model-service").doesNotContain("Exception");

        // and once it is back, answers come again
        service("model-service").restart();
        awaitAllReady();
        assertThat(turn("and now?").statusCode()).isEqualTo(200);
    }
}
