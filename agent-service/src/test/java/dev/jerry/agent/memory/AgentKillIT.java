package dev.jerry.agent.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.jerry.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent-service as a real process, killed with SIGKILL in the middle of a turn. */
class AgentKillIT {
    private OllamaDouble ollama;
    private ServiceProcess agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private URI start(Path dir) throws Exception {
        int port = Ports.free();
        agent = ServiceProcess.start(
                "agent-service",
                port,
                Map.of(
                        "JERRY_AGENT_PORT", String.valueOf(port),
                        "JERRY_MODEL_SERVICE_URL", ollama.baseUrl().toString(),
                        "JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free(),
                        "JERRY_AGENT_MODEL", "jerry-test",
                        "JERRY_DATA_DIR", dir.toString()),
                dir);
        return agent.baseUrl();
    }

    private static String ask(String message) {
        return Json.write(
                Map.of("conversation_id", "dm:42", "user", Map.of("id", "42", "name", "Alice"), "message", message));
    }

    @Test
    void should_keep_every_acknowledged_turn_after_a_kill_9_mid_turn(@TempDir Path dir) throws Exception {
        ollama = OllamaDouble.start()
                .withModel("jerry-test")
                .script(
                        "jerry-test",
                        OllamaDouble.Reply.text("Hello Alice."),
                        OllamaDouble.Reply.text("never delivered"),
                        OllamaDouble.Reply.text("Welcome back."));
        URI base = start(dir);
        assertThat(Http.post(base, "/v1/chat", ask("Hi, I am Alice.")).statusCode())
                .isEqualTo(200);

        // the second turn is waiting for the model when the process is killed
        ollama.replyDelay(Duration.ofSeconds(5));
        HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(base.resolve("/v1/chat"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(ask("Are you still there?")))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ollama.requests("/api/chat").size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ollama.requests("/api/chat"))
                .as("the second turn reached the model")
                .hasSize(2);
        agent.kill();
        ollama.replyDelay(Duration.ZERO);

        agent.restart(); // same port, same SQLite file
        JsonNode kept =
                Json.mapper().readTree(Http.get(base, "/v1/conversations/dm:42").body());
        var next = Http.post(base, "/v1/chat", ask("I am back."));

        assertThat(kept.path("recent").findValuesAsText("content")).containsExactly("Hi, I am Alice.", "Hello Alice.");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(ollama.requests("/api/chat").get(2).path("messages").findValuesAsText("content"))
                .contains("Hi, I am Alice.", "Hello Alice.", "I am back.");
    }
}
