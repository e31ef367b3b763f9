package dev.jerry.agent.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings, feedback and limits routes of the real agent-service on SQLite (model-service is not running). */
class SharedStateRoutesTest {
    @TempDir
    Path dir;

    private ServiceApp app;

    @BeforeEach
    void start() {
        var config = AgentServiceConfig.fromEnv(Env.of(Map.of(
                "JERRY_AGENT_PORT",
                "0",
                "JERRY_MODEL_SERVICE_URL",
                "http://127.0.0.1:" + Ports.free(),
                "JERRY_AGENT_MODEL",
                "llama3.2:3b",
                "JERRY_DATABASE_URL",
                "jdbc:sqlite:" + dir.resolve("agent.db"))));
        app = AgentServiceApp.create(
                        config,
                        new ServiceMetrics("agent"),
                        new MemoryStore(config.database().url(), "", "").migrate())
                .start();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> patch(String path, String json) {
        return Http.send(HttpRequest.newBuilder(app.baseUrl().resolve(path))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    private HttpResponse<String> post(String path, String json) {
        return Http.post(app.baseUrl(), path, json);
    }

    @Test
    void should_set_a_category_persona_and_show_where_a_threads_settings_come_from() throws Exception {
        // when
        var set = patch("/v1/settings/1/30", "{\"kind\":\"category\",\"updated_by\":\"9\",\"persona\":\"docs\"}");
        JsonNode effective = Json.mapper()
                .readTree(Http.get(app.baseUrl(), "/v1/settings/1/effective?scopes=10,20,30")
                        .body())
                .path("settings");

        // then
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(effective.path("persona").path("value").asText()).isEqualTo("docs");
        assertThat(effective.path("persona").path("from").asText()).isEqualTo("category");
        assertThat(effective.path("persona").path("scope").asText()).isEqualTo("30");
        assertThat(effective.path("model").path("value").asText()).isEqualTo("llama3.2:3b");
        assertThat(effective.path("model").path("from").asText()).isEqualTo("default");
    }

    @Test
    void should_refuse_bad_settings_naming_the_field() {
        // when
        var persona = patch("/v1/settings/1/20", "{\"kind\":\"channel\",\"updated_by\":\"9\",\"persona\":\"pirate\"}");
        var kind = patch("/v1/settings/1/20", "{\"kind\":\"room\",\"updated_by\":\"9\",\"cache\":false}");
        var unknown = patch("/v1/settings/1/20", "{\"kind\":\"channel\",\"updated_by\":\"9\",\"colour\":\"red\"}");
        var model = patch("/v1/settings/1/20", "{\"kind\":\"channel\",\"updated_by\":\"9\",\"model\":\"x:1b\"}");
        var scopes = Http.get(app.baseUrl(), "/v1/settings/1/effective?scopes=general");

        // then
        assertThat(persona.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(persona))
                .contains("there is no persona 'pirate'")
                .contains("docs");
        assertThat(kind.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(kind)).contains("'kind'");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(unknown)).contains("unknown field 'colour'");
        assertThat(model.statusCode())
                .as("model-service is down: the model cannot be checked")
                .isEqualTo(503);
        assertThat(scopes.statusCode()).isEqualTo(400);
    }

    @Test
    void should_refuse_feedback_for_an_unknown_turn_and_a_bad_rating() {
        // when
        var unknownTurn = post("/v1/feedback", "{\"turn_id\":\"nope\",\"user_id\":\"9\",\"rating\":\"down\"}");
        var badRating = post("/v1/feedback", "{\"turn_id\":\"nope\",\"user_id\":\"9\",\"rating\":\"meh\"}");
        var badFormat = Http.get(app.baseUrl(), "/v1/feedback?format=xml");
        var empty = Http.get(app.baseUrl(), "/v1/feedback?format=jsonl");

        // then
        assertThat(unknownTurn.statusCode()).isEqualTo(404);
        assertThat(badRating.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(badRating)).contains("'up' or 'down'");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void should_take_requests_until_the_quota_is_used() throws Exception {
        // when
        String take = "{\"user_id\":\"77\",\"burst\":5,\"refill_ms\":60000,\"daily_quota\":1}";
        JsonNode first = Json.mapper().readTree(post("/v1/limits/take", take).body());
        JsonNode second = Json.mapper().readTree(post("/v1/limits/take", take).body());
        var bad = post("/v1/limits/take", "{\"user_id\":\"77\",\"burst\":0,\"refill_ms\":60000,\"daily_quota\":1}");

        // then
        assertThat(first.path("allowed").asBoolean()).isTrue();
        assertThat(first.path("used_today").asInt()).isEqualTo(1);
        assertThat(second.path("allowed").asBoolean()).isFalse();
        assertThat(second.path("reason").asText()).isEqualTo("quota");
        assertThat(second.path("resets_at").asText()).endsWith("T00:00:00Z");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(bad)).contains("burst");
    }
}
