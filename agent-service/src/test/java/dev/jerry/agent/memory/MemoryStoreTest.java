package dev.jerry.agent.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversation memory on a real SQLite file, and its HTTP API. */
class MemoryStoreTest {
    private static final User ALICE = new User("123", "Alice");
    private static final String DM = "dm:123";

    private static Message turn(String role, String content) {
        return new Message(0, role, content, Instant.now());
    }

    private static MemoryStore store(Path dir) {
        return new MemoryStore("jdbc:sqlite:" + dir.resolve("agent.db"), "", "").migrate();
    }

    @Test
    void should_keep_a_conversation_across_a_restart(@TempDir Path dir) {
        store(dir).append(DM, ALICE, List.of(turn("user", "Hi Jerry"), turn("assistant", "Hello Alice")));

        // a new store on the same file: what a restarted service sees
        Conversation conversation = store(dir).conversation(DM, 50).orElseThrow();

        assertThat(conversation.userId()).isEqualTo("123");
        assertThat(conversation.recent())
                .extracting(Message::role, Message::content)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user", "Hi Jerry"),
                        org.assertj.core.groups.Tuple.tuple("assistant", "Hello Alice"));
    }

    @Test
    void should_replace_summarized_turns_with_the_summary_and_keep_the_newest(@TempDir Path dir) {
        MemoryStore store = store(dir);
        for (int i = 1; i <= 6; i++) {
            store.append(DM, ALICE, List.of(turn("user", "question " + i), turn("assistant", "answer " + i)));
        }
        long through = store.conversation(DM, 50).orElseThrow().recent().get(7).id(); // after the 4th answer

        store.summarize(DM, "Alice asked four questions about the boiler.", through);
        Conversation conversation = store.conversation(DM, 3).orElseThrow();

        assertThat(conversation.summary()).isEqualTo("Alice asked four questions about the boiler.");
        assertThat(conversation.recent())
                .extracting(Message::content)
                .containsExactly("answer 5", "question 6", "answer 6");
    }

    @Test
    void should_keep_summarize_and_forget_a_conversation_across_a_restart(@TempDir Path dir) {
        MemoryStoreContract.keepsSummarizesAndForgetsAcrossRestarts(() -> store(dir));
    }

    @Test
    void should_lose_no_turn_when_many_turns_are_saved_at_once(@TempDir Path dir) throws Exception {
        MemoryStoreContract.losesNoTurnWhenManyAreSavedAtOnce(store(dir));
    }

    @Test
    void should_forget_a_conversation_entirely(@TempDir Path dir) {
        MemoryStore store = store(dir);
        store.append(DM, ALICE, List.of(turn("user", "secret plans")));

        assertThat(store.forget(DM)).isEqualTo(1);
        assertThat(store.conversation(DM, 50)).isEmpty();
        assertThat(store.forget(DM)).isZero();
    }

    @Test
    void should_serve_get_and_delete_over_http_with_clear_errors(@TempDir Path dir) throws Exception {
        var config = AgentServiceConfig.fromEnv(Env.of(
                Map.of("JERRY_AGENT_PORT", "0", "JERRY_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("agent.db"))));
        MemoryStore store = store(dir);
        store.append("guild:1:channel:2:user:123", ALICE, List.of(turn("user", "Hi")));
        ServiceApp app = AgentServiceApp.create(config, new ServiceMetrics("agent"), store)
                .start();
        try {
            JsonNode found = Json.mapper()
                    .readTree(Http.get(app.baseUrl(), "/v1/conversations/guild:1:channel:2:user:123")
                            .body());
            var unknown = Http.get(app.baseUrl(), "/v1/conversations/dm:999");
            var malformed = Http.get(app.baseUrl(), "/v1/conversations/hello");
            var deleted = Http.send(
                    HttpRequest.newBuilder(app.baseUrl().resolve("/v1/conversations/guild:1:channel:2:user:123"))
                            .DELETE());

            assertThat(found.path("user_id").asText()).isEqualTo("123");
            assertThat(found.path("recent").get(0).path("content").asText()).isEqualTo("Hi");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("dm:<user>");
            assertThat(Json.mapper()
                            .readTree(deleted.body())
                            .path("forgotten_messages")
                            .asInt())
                    .isEqualTo(1);
            assertThat(Http.get(app.baseUrl(), "/v1/conversations/guild:1:channel:2:user:123")
                            .statusCode())
                    .isEqualTo(404);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_answer_503_naming_the_database_when_it_is_down(@TempDir Path dir) throws Exception {
        var config = AgentServiceConfig.fromEnv(Env.of(
                Map.of("JERRY_AGENT_PORT", "0", "JERRY_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("agent.db"))));
        var dead = new MemoryStore("jdbc:postgresql://127.0.0.1:" + Ports.free() + "/jerry", "jerry", "secret");
        ServiceApp app = AgentServiceApp.create(config, new ServiceMetrics("agent"), dead)
                .start();
        try {
            var response = Http.get(app.baseUrl(), "/v1/conversations/dm:1");
            var ready = Http.get(app.baseUrl(), "/health/ready");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Http.errorMessage(response)).startsWith("could not read conversation dm:1");
            assertThat(ready.body()).contains("\"database\":{\"status\":\"down\"");
            assertThat(response.body()).doesNotContain("secret");
        } finally {
            app.stop();
        }
    }
}
