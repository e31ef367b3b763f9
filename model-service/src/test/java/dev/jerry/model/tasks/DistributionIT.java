package dev.jerry.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.SseEvent;
import dev.jerry.kit.client.SseParser;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distribution tasks over real HTTP: model-service in front of Ollama doubles that download at a set pace. */
class DistributionIT {
    @TempDir
    Path dir;

    private FleetUnderTest fleet;

    @BeforeEach
    void fleet() {
        fleet = new FleetUnderTest(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode task(String id) {
        return json(Http.get(fleet.baseUrl(), "/v1/tasks/" + id, fleet.auth()));
    }

    @Test
    void should_pull_the_model_on_the_chosen_node_only_and_follow_it_to_done() {
        // given
        OllamaDouble a = fleet.node("a", 8).pullable("qwen2.5:0.5b").pullStepDelay(Duration.ofMillis(200));
        OllamaDouble b = fleet.node("b", 16).pullable("qwen2.5:0.5b");
        fleet.start();

        // when
        var response = fleet.distribute("qwen2.5:0.5b", "a");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode tasks = json(response).path("tasks");
        assertThat(tasks).hasSize(1);
        String id = tasks.get(0).path("id").asText();
        assertThat(tasks.get(0).path("node").asText()).isEqualTo(fleet.name("a"));
        assertThat(tasks.get(0).path("kind").asText()).isEqualTo("pull");
        List<Long> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    JsonNode now = task(id);
                    seen.add(now.path("bytes_done").asLong());
                    return now.path("state").asText().equals("done");
                });
        JsonNode done = task(id);
        assertThat(done.path("bytes_done").asLong())
                .isEqualTo(done.path("bytes_total").asLong())
                .isPositive();
        assertThat(done.path("error").isNull()).isTrue();
        assertThat(done.path("finished_at").asText()).isNotBlank();
        assertThat(seen.stream().distinct().count())
                .as("progress seen on the way: %s", seen)
                .isGreaterThan(2);
        assertThat(a.has("qwen2.5:0.5b")).isTrue();
        assertThat(b.has("qwen2.5:0.5b")).isFalse();
        assertThat(b.requests("/api/pull")).isEmpty();
    }

    @Test
    void should_start_one_task_per_node_when_distributing_to_all() {
        // given
        OllamaDouble a = fleet.node("a", 4).pullable("phi3:mini");
        OllamaDouble b = fleet.node("b", 8).pullable("phi3:mini");
        OllamaDouble c = fleet.node("c", 16).withModel("phi3:mini");
        fleet.start();

        // when
        var response = fleet.distributeToAll("phi3:mini");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode tasks = json(response).path("tasks");
        assertThat(tasks)
                .extracting(t -> t.path("node").asText())
                .containsExactlyInAnyOrder(fleet.name("a"), fleet.name("b"), fleet.name("c"));
        for (JsonNode t : tasks) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            task(t.path("id").asText()).path("state").asText().equals("done"));
        }
        assertThat(a.has("phi3:mini")).isTrue();
        assertThat(b.has("phi3:mini")).isTrue();
        assertThat(c.requests("/api/pull"))
                .as("a node that has the model is not asked")
                .isEmpty();
        assertThat(json(Http.get(fleet.baseUrl(), "/v1/tasks", fleet.auth())).path("tasks"))
                .extracting(t -> t.path("state").asText())
                .containsOnly("done");
    }

    @Test
    void should_stream_a_snapshot_then_each_change_of_a_task() throws Exception {
        // given
        fleet.node("a", 8).pullable("qwen2.5:0.5b").pullStepDelay(Duration.ofMillis(100));
        fleet.start();
        String first = json(fleet.distribute("qwen2.5:0.5b", "a"))
                .path("tasks")
                .get(0)
                .path("id")
                .asText();
        await().until(() -> task(first).path("state").asText().equals("done"));
        HttpRequest request = HttpRequest.newBuilder(fleet.baseUrl().resolve("/v1/tasks/events"))
                .header("Authorization", fleet.auth()[1])
                .build();

        // when
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> stream = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            SseParser events = new SseParser(stream.body());
            SseEvent snapshot = events.next().orElseThrow();
            String second = json(fleet.distribute("phi3:mini", "a"))
                    .path("tasks")
                    .get(0)
                    .path("id")
                    .asText();
            List<JsonNode> changes = new ArrayList<>();
            Optional<SseEvent> event;
            while ((event = events.next()).isPresent()) {
                if (event.get().event().equals("task")) {
                    JsonNode task = Json.mapper().readTree(event.get().data());
                    changes.add(task);
                    if (task.path("state").asText().equals("failed")
                            || task.path("state").asText().equals("done")) {
                        break;
                    }
                }
            }
            stream.body().close();

            // then
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(Json.mapper().readTree(snapshot.data()).path("tasks"))
                    .extracting(t -> t.path("id").asText())
                    .containsExactly(first);
            assertThat(changes).extracting(t -> t.path("id").asText()).containsOnly(second);
            assertThat(changes.getLast().path("state").asText()).isEqualTo("failed");
            assertThat(changes.getLast().path("error").asText()).contains("file does not exist");
        }
    }

    @Test
    void should_refuse_an_invalid_model_name_before_asking_any_node() {
        // given
        OllamaDouble a = fleet.node("a", 8);
        fleet.start();

        // when
        var response = fleet.distributeToAll("../etc/passwd");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(response)).contains("model").contains("not a valid model name");
        assertThat(a.requests("/api/pull")).isEmpty();
    }

    @Test
    void should_answer_404_naming_the_node_that_does_not_exist_and_start_nothing() {
        // given
        OllamaDouble a = fleet.node("a", 8).pullable("phi3:mini");
        fleet.start();

        // when
        var response = fleet.distribute("phi3:mini", "a", "ghost");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.errorMessage(response)).contains("'ghost'");
        assertThat(a.requests("/api/pull")).isEmpty();
        assertThat(json(Http.get(fleet.baseUrl(), "/v1/tasks", fleet.auth())).path("tasks"))
                .isEmpty();
    }

    @Test
    void should_answer_503_naming_the_node_that_is_offline_and_its_error() {
        // given
        OllamaDouble down = fleet.node("down", 8).pullable("phi3:mini");
        fleet.start();
        down.goOffline();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(fleet.baseUrl(), "/v1/nodes", fleet.auth())
                        .body()
                        .contains("\"state\":\"offline\""));

        // when
        var response = fleet.distribute("phi3:mini", "down");

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Http.errorMessage(response)).contains("'down'").contains("offline");
        assertThat(json(fleet.post("/v1/models/distribute", "{\"model\":\"phi3:mini\",\"nodes\":\"all\"}"))
                        .path("error")
                        .path("message")
                        .asText())
                .contains("no node is online");
    }

    @Test
    void should_answer_507_naming_the_node_whose_disk_is_full() {
        // given
        OllamaDouble full =
                fleet.node("small", 4).withModel("llama3.2:1b").diskFull().pullable("phi3:mini");
        fleet.start();

        // when
        var response = fleet.distribute("phi3:mini", "small");

        // then
        assertThat(response.statusCode()).isEqualTo(507);
        assertThat(Http.errorType(response)).isEqualTo("insufficient_storage");
        assertThat(Http.errorMessage(response))
                .contains("'" + fleet.name("small") + "'")
                .contains("no space left on device");
        assertThat(full.has("phi3:mini")).isFalse();
        assertThat(json(Http.get(fleet.baseUrl(), "/v1/tasks", fleet.auth())).path("tasks"))
                .extracting(t -> t.path("state").asText())
                .containsExactly("failed");
    }

    @Test
    void should_delete_a_model_on_one_node_only() {
        // given
        OllamaDouble a = fleet.node("a", 8).withModel("phi3:mini");
        OllamaDouble b = fleet.node("b", 8).withModel("phi3:mini");
        fleet.start();

        // when
        var response = Http.send(
                HttpRequest.newBuilder(fleet.baseUrl().resolve("/v1/nodes/" + fleet.name("a") + "/models/phi3:mini"))
                        .DELETE(),
                fleet.auth());

        // then
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(a.has("phi3:mini")).isFalse();
        assertThat(b.has("phi3:mini")).isTrue();
    }
}
