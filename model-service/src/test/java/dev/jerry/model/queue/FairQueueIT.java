package dev.jerry.model.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.ModelServiceHarness;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.testing.Http;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fair queue through the real HTTP API, in front of a slow backend double. */
class FairQueueIT {
    /**
     * A backend whose every generation takes 150 ms once its gate lets it start; it records whose requests finished,
     * in order.
     */
    private static final class SlowBackend implements Backend {
        final List<String> finished = new CopyOnWriteArrayList<>();
        volatile java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(1_000);

        @Override
        public ModelService describe() {
            return new ModelService("slow", ModelService.Kind.OLLAMA, List.of("slow"), 0);
        }

        @Override
        public Generation chat(ChatRequest request, TokenSink sink) {
            try {
                gate.acquire();
                Thread.sleep(150);
                sink.accept("done");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            finished.add(request.messages().getLast().content());
            return new Generation("done", "stop", 1, 1, 1, 150_000_000);
        }

        @Override
        public HealthCheck.Result probe() {
            return HealthCheck.Result.up();
        }
    }

    private SlowBackend backend;
    private ServiceApp app;
    private ExecutorService clients;

    @BeforeEach
    void start() {
        backend = new SlowBackend();
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .queue(new QueueConfig(1, 10))
                .defaultMaxTokens(8)
                .build();
        app = ModelServiceApp.create(
                        config, new ServiceMetrics("model"), List.of(backend), ModelServiceHarness.EMBEDDER)
                .start();
        clients = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        app.stop();
    }

    private static String body(String label, boolean stream) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + label + "\"}],\"stream\":" + stream + "}";
    }

    private Future<HttpResponse<String>> send(String user, String label) {
        return clients.submit(
                () -> Http.post(app.baseUrl(), "/v1/inference", body(label, false), "X-Jerry-User", user));
    }

    private int waiting() {
        try {
            JsonNode ready = Json.mapper()
                    .readTree(Http.get(app.baseUrl(), "/health/ready").body());
            return ready.path("checks")
                    .path("queue:slow")
                    .path("details")
                    .path("waiting")
                    .asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void await(IntSupplier value, int expected) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(value.getAsInt())
                        .as(() -> Http.get(app.baseUrl(), "/health/ready").body())
                        .isEqualTo(expected));
    }

    @Test
    void should_serve_another_users_single_request_right_after_the_running_one() throws Exception {
        backend.gate = new java.util.concurrent.Semaphore(0); // A1 holds the backend until everyone is queued
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            responses.add(send("alice", "A" + i));
            await(this::waiting, Math.max(0, i - 1)); // A1 runs, the others queue in order
        }
        responses.add(send("bob", "B1"));
        await(this::waiting, 10);
        backend.gate.release(1_000);

        for (var response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }

        // bob waited for the generation that was running when he came, and for nobody else
        assertThat(backend.finished.indexOf("B1")).isEqualTo(1);
        assertThat(backend.finished).hasSize(11);
    }

    @Test
    void should_refuse_a_request_beyond_the_bound_with_429_and_retry_after() throws Exception {
        backend.gate = new java.util.concurrent.Semaphore(0); // the first holds the backend until the queue is full
        List<Future<HttpResponse<String>>> accepted = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            accepted.add(send("user" + i, "R" + i));
        }
        await(this::waiting, 10);

        var refused = Http.post(app.baseUrl(), "/v1/inference", body("one too many", false), "X-Jerry-User", "eve");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isPositive());
        assertThat(Http.errorType(refused)).isEqualTo("rate_limited");
        assertThat(Http.errorMessage(refused)).contains("JERRY_QUEUE_MAX");
        backend.gate.release(1_000);
        for (var response : accepted) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_refuse_a_streamed_request_beyond_the_bound_with_429_before_the_stream_starts() throws Exception {
        // given: one generation held running, ten waiting
        backend.gate = new java.util.concurrent.Semaphore(0);
        List<Future<HttpResponse<String>>> accepted = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            accepted.add(send("user" + i, "R" + i));
        }
        await(this::waiting, 10);
        String messages = "[{\"role\":\"user\",\"content\":\"one too many\"}]";
        Map<String, String> streamed = Map.of(
                "/v1/inference", body("one too many", true),
                "/v1/chat/completions", "{\"model\":\"slow\",\"stream\":true,\"messages\":" + messages + "}",
                "/api/chat", "{\"model\":\"slow\",\"messages\":" + messages + "}");

        for (var request : streamed.entrySet()) {
            // when
            var refused = Http.post(app.baseUrl(), request.getKey(), request.getValue(), "X-Jerry-User", "eve");

            // then: the status says so, with Retry-After, instead of a 200 and an error event
            assertThat(refused.statusCode()).as(request.getKey()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After"))
                    .as(request.getKey())
                    .isPresent();
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(refused.body()).contains("JERRY_QUEUE_MAX");
        }
        backend.gate.release(1_000);
        for (var response : accepted) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_count_the_position_down_before_the_first_token_and_put_it_in_a_header() throws Exception {
        backend.gate = new java.util.concurrent.Semaphore(0); // R0 holds the backend until everyone is queued
        for (int i = 0; i < 3; i++) {
            send("user" + i, "R" + i);
        }
        await(this::waiting, 2);
        Future<HttpResponse<String>> header = send("carol", "C-plain");
        await(this::waiting, 3);
        Future<String> streamed = clients.submit(
                () -> Http.post(app.baseUrl(), "/v1/inference", body("C-stream", true), "X-Jerry-User", "dave")
                        .body());
        await(this::waiting, 4);
        backend.gate.release(1_000);

        String stream = streamed.get();

        List<Integer> positions = new ArrayList<>();
        String firstEvent = null;
        String event = "";
        for (String line : stream.split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
                firstEvent = firstEvent == null ? event : firstEvent;
            } else if (line.startsWith("data: ") && event.equals("queue")) {
                positions.add(Json.mapper()
                        .readTree(line.substring(6))
                        .path("position")
                        .asInt());
            }
        }
        assertThat(firstEvent).isEqualTo("queue");
        assertThat(positions).first().isEqualTo(3);
        assertThat(positions).last().isEqualTo(0);
        assertThat(positions).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(header.get().headers().firstValue("X-Jerry-Queue-Position")).hasValue("2");
        assertThat(header.get().headers().firstValue("X-Jerry-Queue-Eta-Ms")).isPresent();
    }

    @Test
    void should_drop_a_waiting_request_whose_client_left() throws Exception {
        // R0 holds the backend until the client has left: on a loaded machine a 150 ms window is too short to see
        backend.gate = new java.util.concurrent.Semaphore(0);
        for (int i = 0; i < 3; i++) {
            send("user" + i, "R" + i);
        }
        await(this::waiting, 2);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(app.baseUrl().resolve("/v1/inference"))
                            .header("X-Jerry-User", "impatient")
                            .POST(HttpRequest.BodyPublishers.ofString(body("gone", true)))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                assertThat(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine())
                        .isEqualTo("event: queue");
            }
        }

        // the next position update (at most a second away) finds the client gone: its place is freed
        await(this::waiting, 2);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(app.baseUrl(), "/metrics").body().contains("jerry_model_queue_abandoned_total"));
        backend.gate.release(1_000);
        await(this::waiting, 0);
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(backend.finished).doesNotContain("gone"));
        assertThat(Http.get(app.baseUrl(), "/metrics").body())
                .containsPattern("jerry_model_queue_abandoned_total\\{[^}]*backend=\"slow\"[^}]*} 1");
    }
}
