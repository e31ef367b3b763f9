package dev.jerry.model.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.model.tasks.FleetUnderTest;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placement by VRAM tier over Ollama doubles that declare 4, 8 and 16 GiB of VRAM when they register. */
class PlacementIT {
    private static final String TIERS = "0=llama3.2:1b,6=llama3.2:3b,12=llama3.1:8b+nomic-embed-text";
    private static final String[] MODELS = {"llama3.2:1b", "llama3.2:3b", "llama3.1:8b", "nomic-embed-text"};

    @TempDir
    Path dir;

    private FleetUnderTest fleet;

    @BeforeEach
    void fleet() {
        fleet = new FleetUnderTest(dir).tiers(TIERS);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private OllamaDouble node(String name, int vramGib) {
        OllamaDouble node = fleet.node(name, vramGib);
        for (String model : MODELS) {
            node.pullable(model);
        }
        return node;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void should_pull_on_each_registered_node_the_models_of_its_vram_tier_only() {
        // given
        OllamaDouble small = node("small", 4);
        OllamaDouble medium = node("medium", 8);
        OllamaDouble large = node("large", 16);

        // when: the nodes register
        fleet.start();

        // then
        await().atMost(Duration.ofSeconds(20))
                .until(() -> small.has("llama3.2:1b")
                        && medium.has("llama3.2:3b")
                        && large.has("llama3.1:8b")
                        && large.has("nomic-embed-text"));
        assertThat(small.requests("/api/pull"))
                .extracting(r -> r.path("model").asText())
                .containsExactly("llama3.2:1b");
        assertThat(medium.requests("/api/pull"))
                .extracting(r -> r.path("model").asText())
                .containsExactly("llama3.2:3b");
        assertThat(large.requests("/api/pull"))
                .extracting(r -> r.path("model").asText())
                .containsExactlyInAnyOrder("llama3.1:8b", "nomic-embed-text:latest");
        await().untilAsserted(() -> assertThat(json(Http.get(fleet.baseUrl(), "/v1/tasks", fleet.auth()))
                        .path("tasks"))
                .extracting(t -> t.path("node").asText() + " " + t.path("model").asText() + " "
                        + t.path("state").asText())
                .containsExactlyInAnyOrder(
                        "small llama3.2:1b done",
                        "medium llama3.2:3b done",
                        "large llama3.1:8b done",
                        "large nomic-embed-text done"));
        JsonNode placement = json(Http.get(fleet.baseUrl(), "/v1/placement", fleet.auth()));
        assertThat(placement.path("tiers")).hasSize(3);
        assertThat(placement.path("nodes"))
                .filteredOn(n -> n.path("node").asText().equals("medium"))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.path("wants")).extracting(JsonNode::asText).containsExactly("llama3.2:3b");
                    assertThat(n.path("missing")).isEmpty();
                    assertThat(n.path("vram_bytes").asLong()).isEqualTo(8L << 30);
                });
    }

    @Test
    void should_give_a_node_that_comes_back_online_the_models_of_its_tier() {
        // given: a node that lost its model (wiped by hand) and went down
        OllamaDouble late = node("late", 8);
        fleet.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> late.has("llama3.2:3b"));
        Http.send(HttpRequest.newBuilder(late.baseUrl().resolve("/api/delete"))
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2:3b\"}")));
        late.goOffline();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(fleet.baseUrl(), "/v1/nodes", fleet.auth())
                        .body()
                        .contains("\"state\":\"offline\""));
        assertThat(late.has("llama3.2:3b")).isFalse();

        // when
        late.comeOnline();

        // then
        await().atMost(Duration.ofSeconds(40)).until(() -> late.has("llama3.2:3b"));
        assertThat(late.has("llama3.2:1b")).isFalse();
        assertThat(late.requests("/api/pull")).hasSize(2);
    }

    @Test
    void should_pull_again_on_demand_what_a_node_lost() {
        // given
        OllamaDouble medium = node("medium", 8);
        fleet.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> medium.has("llama3.2:3b"));
        var deleted = Http.send(
                HttpRequest.newBuilder(fleet.baseUrl().resolve("/v1/nodes/medium/models/llama3.2:3b"))
                        .DELETE(),
                fleet.auth());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(medium.has("llama3.2:3b")).isFalse();

        // when
        var applied = fleet.post("/v1/placement", "{}");

        // then
        assertThat(applied.statusCode()).isEqualTo(202);
        assertThat(json(applied).path("tasks"))
                .singleElement()
                .satisfies(t -> assertThat(t.path("model").asText()).isEqualTo("llama3.2:3b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> medium.has("llama3.2:3b"));
    }
}
