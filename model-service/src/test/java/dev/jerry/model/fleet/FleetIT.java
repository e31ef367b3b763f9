package dev.jerry.model.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model-service over a fleet of Ollama doubles: the node registry, routing across nodes, failover, status codes. */
class FleetIT {
    private static final String MODEL = "llama3.2:3b";
    private static Embedder embedder;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ServiceMetrics metrics;

    @BeforeAll
    static void loadEmbedder() {
        embedder = Embedder.bgeSmall();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    private OllamaDouble node() {
        OllamaDouble ollama = OllamaDouble.start();
        running.add(ollama);
        return ollama;
    }

    /** model-service over the given nodes, as ModelServiceApp.create(config) composes it, its state under dir. */
    private ServiceApp modelService(List<URI> urls, boolean sticky, String... required) {
        OllamaConfig ollama = new OllamaConfig(
                urls, Optional.empty(), List.of(required), true, Duration.ofSeconds(30), Duration.ofSeconds(30));
        metrics = new ServiceMetrics("model");
        List<Backend> backends = new ArrayList<>();
        for (URI url : urls) {
            OllamaBackend backend = new OllamaBackend(url, ollama, metrics);
            backend.start();
            backends.add(backend);
        }
        Path data = dir.resolve("data");
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.ollama(ollama))
                .queue(new QueueConfig(1, 32))
                .defaultMaxTokens(16)
                .localEngine(LlamaServerConfig.defaults(1))
                .fleet(new FleetConfig(
                        FleetConfig.defaults(data).stateFile(), Duration.ofMillis(100), Duration.ofMillis(400), sticky))
                .build();
        ServiceApp app =
                ModelServiceApp.create(config, metrics, backends, embedder).start();
        running.add(app::stop);
        return app;
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode nodeNamed(ServiceApp app, String name) throws Exception {
        for (JsonNode node : json(Http.get(app.baseUrl(), "/v1/nodes")).path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        return null;
    }

    private static HttpResponse<String> delete(ServiceApp app, String path) {
        return Http.send(HttpRequest.newBuilder(app.baseUrl().resolve(path)).DELETE());
    }

    @Test
    void should_list_registered_nodes_with_their_models_and_keep_them_over_a_restart() throws Exception {
        // given
        OllamaDouble configured = node().withModel(MODEL);
        OllamaDouble gpu = node().withModel("qwen2.5:7b");
        ServiceApp app = modelService(List.of(configured.baseUrl()), true, MODEL);

        // when
        var created = Http.post(
                app.baseUrl(),
                "/v1/nodes",
                "{\"name\":\"gpu-box\",\"url\":\"" + gpu.baseUrl() + "\",\"vram_gib\":16,\"labels\":[\"gpu\"]}");
        var taken = Http.post(app.baseUrl(), "/v1/nodes", "{\"name\":\"gpu-box\",\"url\":\"" + gpu.baseUrl() + "\"}");
        var badUrl = Http.post(app.baseUrl(), "/v1/nodes", "{\"name\":\"other\",\"url\":\"ftp://x\"}");

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("source").asText()).isEqualTo("api");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(badUrl)).contains("url");
        JsonNode listed = nodeNamed(app, "gpu-box");
        assertThat(listed.path("state").asText()).isEqualTo("online");
        assertThat(listed.path("vram_bytes").asLong()).isEqualTo(16L << 30);
        assertThat(listed.path("vram_source").asText()).isEqualTo("declared");
        assertThat(listed.path("labels").get(0).asText()).isEqualTo("gpu");
        assertThat(listed.path("models").get(0).path("name").asText()).isEqualTo("qwen2.5:7b");
        assertThat(listed.path("models").get(0).path("size").asLong()).isEqualTo(OllamaDouble.size("qwen2.5:7b"));
        assertThat(listed.has("free_disk_bytes")).isTrue();
        assertThat(listed.path("in_flight").asInt()).isZero();
        JsonNode config =
                json(Http.get(app.baseUrl(), "/v1/nodes")).path("nodes").get(0);
        assertThat(config.path("source").asText()).isEqualTo("config");
        assertThat(config.path("vram_bytes").isNull()).isTrue();

        // when the service restarts on the same data directory
        app.stop();
        ServiceApp restarted = modelService(List.of(configured.baseUrl()), true, MODEL);

        // then the registered node is still there, and routed to
        assertThat(nodeNamed(restarted, "gpu-box")).isNotNull();
        var answer = Http.post(restarted.baseUrl(), "/api/chat", chat("qwen2.5:7b"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(gpu.chatCount()).isEqualTo(1);

        // when it is removed
        var removed = delete(restarted, "/v1/nodes/gpu-box");

        // then it is gone, also from the state file
        assertThat(removed.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeNamed(restarted, "gpu-box") == null);
        assertThat(Files.readString(dir.resolve("data/model-service/nodes.json")))
                .doesNotContain("gpu-box");
        assertThat(delete(restarted, "/v1/nodes/gpu-box").statusCode()).isEqualTo(404);
    }

    @Test
    void should_spread_concurrent_requests_over_the_nodes_holding_the_model() throws Exception {
        // given
        OllamaDouble a = node().withModel(MODEL).oneSlot().replyDelay(Duration.ofMillis(200));
        OllamaDouble b = node().withModel(MODEL).oneSlot().replyDelay(Duration.ofMillis(200));
        OllamaDouble other = node().withModel("qwen2.5:7b");
        ServiceApp app = modelService(List.of(a.baseUrl(), b.baseUrl(), other.baseUrl()), false, MODEL);

        // when
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                String user = "user-" + i;
                answers.add(
                        pool.submit(() -> Http.post(app.baseUrl(), "/api/chat", chat(MODEL), "X-Jerry-User", user)));
            }
        }

        // then
        for (var answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }
        assertThat(a.chatCount()).isEqualTo(3);
        assertThat(b.chatCount()).isEqualTo(3);
        assertThat(other.chatCount()).isZero();
        assertThat(metrics.scrape()).containsPattern("jerry_model_node_queued\\{node=\"ollama@");
    }

    @Test
    void should_keep_the_queue_fair_across_nodes_when_one_user_sends_a_burst() throws Exception {
        // given two one-slot nodes, and one user's burst spread over them
        OllamaDouble a = node().withModel(MODEL).oneSlot().replyDelay(Duration.ofMillis(800));
        OllamaDouble b = node().withModel(MODEL).oneSlot().replyDelay(Duration.ofMillis(800));
        ServiceApp app = modelService(List.of(a.baseUrl(), b.baseUrl()), true, MODEL);
        List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                pool.submit(() -> {
                    Http.post(app.baseUrl(), "/api/chat", chat(MODEL), "X-Jerry-User", "burst");
                    finished.add("burst");
                });
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> json(Http.get(app.baseUrl(), "/v1/nodes")).findValues("queued").stream()
                                    .mapToInt(JsonNode::asInt)
                                    .sum()
                            == 4);

            // when another user asks once
            pool.submit(() -> {
                Http.post(app.baseUrl(), "/api/chat", chat(MODEL), "X-Jerry-User", "other");
                finished.add("other");
            });
        }

        // then that user waits behind at most the answers already running, not behind the burst
        assertThat(finished).hasSize(7);
        assertThat(finished.indexOf("other")).isLessThanOrEqualTo(3);
    }

    @Test
    void should_retry_on_another_node_when_a_node_fails_before_the_first_token() throws Exception {
        // given
        OllamaDouble failing = node().withModel(MODEL).failNext(5);
        OllamaDouble healthy = node().withModel(MODEL);
        ServiceApp app = modelService(List.of(failing.baseUrl(), healthy.baseUrl()), false, MODEL);

        // when
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            answers.add(Http.post(app.baseUrl(), "/api/chat", chat(MODEL)));
        }

        // then every request was answered, the failing node tried and left for the other
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(failing.chatCount()).isPositive();
        assertThat(healthy.chatCount()).isEqualTo(2);
        assertThat(metrics.scrape()).containsPattern("jerry_model_node_retries_total\\{[^}]*from=\"ollama@");
    }

    @Test
    void should_send_a_users_next_turns_to_the_same_node_when_sticky() throws Exception {
        // given
        OllamaDouble a = node().withModel(MODEL);
        OllamaDouble b = node().withModel(MODEL);
        ServiceApp app = modelService(List.of(a.baseUrl(), b.baseUrl()), true, MODEL);

        // when one user asks four times in a row
        for (int i = 0; i < 4; i++) {
            var answer = Http.post(app.baseUrl(), "/api/chat", chat(MODEL), "X-Jerry-User", "alice");
            assertThat(answer.statusCode()).isEqualTo(200);
        }

        // then one node answered every turn
        assertThat(List.of(a.chatCount(), b.chatCount())).containsExactlyInAnyOrder(4, 0);
    }

    @Test
    void should_alternate_a_users_turns_over_idle_nodes_when_not_sticky() throws Exception {
        // given
        OllamaDouble a = node().withModel(MODEL);
        OllamaDouble b = node().withModel(MODEL);
        ServiceApp app = modelService(List.of(a.baseUrl(), b.baseUrl()), false, MODEL);

        // when
        for (int i = 0; i < 4; i++) {
            Http.post(app.baseUrl(), "/api/chat", chat(MODEL), "X-Jerry-User", "alice");
        }

        // then
        assertThat(List.of(a.chatCount(), b.chatCount())).containsExactly(2, 2);
    }

    @Test
    void should_mark_a_node_offline_then_online_again_and_pull_its_required_models() throws Exception {
        // given
        OllamaDouble flaky = node().withModel(MODEL).pullable("qwen2.5:0.5b");
        ServiceApp app = modelService(List.of(flaky.baseUrl()), true, MODEL);
        String name = "ollama@127.0.0.1:" + flaky.baseUrl().getPort();

        // when the node goes away
        flaky.goOffline();

        // then it is marked offline, with the reason and the next try, and never dropped
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "offline".equals(nodeNamed(app, name).path("state").asText()));
        JsonNode offline = nodeNamed(app, name);
        assertThat(offline.path("last_error").asText()).isNotBlank();
        assertThat(offline.path("next_retry_at").asText()).isNotBlank();
        var refused = Http.post(app.baseUrl(), "/api/chat", chat(MODEL));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Http.errorMessage(refused)).contains(name);

        // when it comes back, now lacking a required model
        flaky.pullable("qwen2.5:0.5b");
        app.stop();
        ServiceApp withTwo = modelService(List.of(flaky.baseUrl()), true, MODEL, "qwen2.5:0.5b");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        "offline".equals(nodeNamed(withTwo, name).path("state").asText()));
        flaky.comeOnline();

        // then it is online again and got the model it lacked
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        "online".equals(nodeNamed(withTwo, name).path("state").asText()));
        await().atMost(Duration.ofSeconds(10)).until(() -> flaky.has("qwen2.5:0.5b"));
        assertThat(Http.post(withTwo.baseUrl(), "/api/chat", chat(MODEL)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void should_announce_a_node_to_listeners_when_it_is_registered_and_when_it_comes_back() throws Exception {
        // given
        OllamaDouble node = node().withModel(MODEL);
        metrics = new ServiceMetrics("model");
        Fleet fleet = new Fleet(
                        new FleetConfig(
                                dir.resolve("nodes.json"), Duration.ofMillis(100), Duration.ofMillis(300), true),
                        Optional.empty(),
                        List.of(),
                        1,
                        metrics)
                .start();
        running.add(fleet);
        List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
        fleet.onNodeOnline(n -> announced.add(n.name()));

        // when
        fleet.register(new NodeSpec("box", node.baseUrl().toString(), null, 8.0, List.of()));
        node.goOffline();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !fleet.node("box").orElseThrow().online());
        node.comeOnline();

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> announced.size() == 2);
        assertThat(announced).containsExactly("box", "box");
        assertThat(fleet.node("box").orElseThrow().vramBytes()).hasValue(8L << 30);
    }

    @Test
    void should_answer_400_for_a_malformed_model_name_and_507_when_the_node_is_out_of_disk() throws Exception {
        // given
        OllamaDouble full = node().withModel(MODEL).pullable("qwen2.5:7b").diskFull();
        ServiceApp app = modelService(List.of(full.baseUrl()), true, MODEL);
        String name = "ollama@127.0.0.1:" + full.baseUrl().getPort();

        // when
        var malformed = Http.post(
                app.baseUrl(),
                "/v1/inference",
                "{\"model\":\"../../etc\",\"messages\":" + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
        List<JsonNode> pullsAsked = full.requests("/api/pull");
        var noDisk = Http.post(app.baseUrl(), "/api/pull", "{\"model\":\"qwen2.5:7b\",\"stream\":false}");

        // then
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(malformed)).contains("not a valid model name");
        assertThat(pullsAsked).isEmpty();
        assertThat(noDisk.statusCode()).isEqualTo(507);
        assertThat(Http.errorMessage(noDisk))
                .contains(name)
                .contains("out of disk")
                .contains("no space left");
        JsonNode listed = nodeNamed(app, name);
        assertThat(listed.path("free_disk_bytes").asLong()).isZero();
        assertThat(listed.path("last_error").asText()).contains("no space left");
    }
}
