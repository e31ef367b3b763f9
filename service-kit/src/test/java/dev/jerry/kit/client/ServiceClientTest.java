package dev.jerry.kit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceClientTest {
    private static final String TOKEN = "client-token-0123456789abcdef";

    record Answer(String text) {}

    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final AtomicInteger failingCalls = new AtomicInteger();
    private final AtomicInteger slowCalls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private ServiceApp upstream;
    private ServiceMetrics metrics;

    @BeforeEach
    void start() {
        upstream = ServiceApp.create(
                        ServerConfig.forTests("up", new AuthConfig(Map.of("client", new Secret(TOKEN)), false)),
                        new ServiceMetrics("up"),
                        List.of(),
                        List.of(routes -> {
                            routes.get("/flaky", ctx -> {
                                if (flakyCalls.incrementAndGet() < 3) {
                                    ctx.status(503)
                                            .result(
                                                    "{\"error\":{\"type\":\"unavailable\",\"message\":\"warming up\"}}");
                                } else {
                                    ctx.json(new Answer("finally"));
                                }
                            });
                            routes.post("/fail", ctx -> {
                                failingCalls.incrementAndGet();
                                ctx.status(500)
                                        .result(
                                                "{\"error\":{\"type\":\"internal_error\",\"message\":\"disk on fire\"}}");
                            });
                            routes.post(
                                    "/busy",
                                    ctx -> ctx.status(429)
                                            .header("Retry-After", "60")
                                            .result(
                                                    "{\"error\":{\"type\":\"rate_limited\",\"message\":\"queue full\"}}"));
                            routes.post("/slow", ctx -> {
                                slowCalls.incrementAndGet();
                                release.await();
                                ctx.json(new Answer("late"));
                            });
                            routes.get("/garbage", ctx -> ctx.result("<html>not json</html>"));
                            routes.post("/stream", ctx -> sse(ctx, false));
                            routes.post("/stall", ctx -> sse(ctx, true));
                        }))
                .start();
        metrics = new ServiceMetrics("down");
    }

    @AfterEach
    void stop() {
        release.countDown();
        upstream.stop();
    }

    private void sse(Context ctx, boolean stallAfterFirst) throws Exception {
        ctx.res().setContentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        write(out, "event: status\ndata: searching\n\n");
        if (stallAfterFirst) {
            release.await();
            return;
        }
        write(out, ": keep-alive comment\n\nevent: delta\ndata: {\"text\":\"Hel\"}\n\n");
        write(out, "event: delta\ndata: {\"text\":\"lo\"}\n\nevent: done\ndata: line one\ndata: line two\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ServiceClient client(ClientOptions options) {
        return new ServiceClient("up-service", upstream.baseUrl(), Optional.of(new Secret(TOKEN)), options, metrics);
    }

    private static ClientOptions fast() {
        return new ClientOptions(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                3,
                Duration.ofMillis(10),
                Duration.ofSeconds(1));
    }

    @Test
    void should_retry_a_503_with_backoff_until_the_upstream_answers() {
        Answer answer = client(fast()).get("/flaky", Answer.class);

        assertThat(answer.text()).isEqualTo("finally");
        assertThat(flakyCalls).hasValue(3);
    }

    @Test
    void should_give_up_after_the_last_attempt_with_unavailable() {
        assertThatThrownBy(() -> client(fast().withMaxAttempts(2)).get("/flaky", Answer.class))
                .isInstanceOf(UpstreamException.Unavailable.class)
                .hasMessageContaining("up-service")
                .hasMessageContaining("warming up");
        assertThat(flakyCalls).hasValue(2);
    }

    @Test
    void should_not_retry_a_500_and_report_the_upstreams_message() {
        assertThatThrownBy(() -> client(fast()).post("/fail", Map.of("q", 1), Answer.class))
                .isInstanceOfSatisfying(UpstreamException.BadResponse.class, e -> {
                    assertThat(e.upstreamStatus()).isEqualTo(500);
                    assertThat(e.httpStatus()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("disk on fire");
                });
        assertThat(failingCalls).hasValue(1);
    }

    @Test
    void should_not_wait_for_a_retry_after_beyond_its_backoff_limit() {
        assertThatThrownBy(() -> client(fast()).post("/busy", Map.of(), Answer.class))
                .isInstanceOfSatisfying(UpstreamException.Busy.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
                    assertThat(e.getMessage()).contains("queue full");
                });
    }

    @Test
    void should_time_out_a_slow_call_once_without_retrying_it() {
        var options = fast().withReadTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> client(options).post("/slow", Map.of(), Answer.class))
                .isInstanceOfSatisfying(
                        UpstreamException.Timeout.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(504));
        // the server may see the call after the client gave up (a loaded machine): wait for it, then make sure no
        // second one follows
        await().atMost(Duration.ofSeconds(10)).until(() -> slowCalls.get() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> slowCalls.get() == 1);
        assertThat(metrics.scrape()).containsPattern("jerry_down_timeouts_total\\{[^}]*what=\"upstream:up-service\"");
    }

    @Test
    void should_report_a_dead_upstream_as_unavailable_naming_it() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + Ports.free());
        var client = new ServiceClient("rag-service", dead, Optional.empty(), fast(), metrics);

        assertThatThrownBy(() -> client.get("/v1/collections", Answer.class))
                .isInstanceOf(UpstreamException.Unavailable.class)
                .hasMessageContaining("rag-service is unreachable at " + dead);
        assertThat(metrics.scrape())
                .containsPattern("jerry_down_http_client_requests_seconds_count\\{[^}]*outcome=\"connect_error\"[^}]*"
                        + "upstream=\"rag-service\"[^}]*} 3");
    }

    @Test
    void should_report_a_body_that_is_not_the_expected_json_as_a_bad_response() {
        assertThatThrownBy(() -> client(fast()).get("/garbage", Answer.class))
                .isInstanceOf(UpstreamException.BadResponse.class)
                .hasMessageContaining("does not match Answer");
    }

    @Test
    void should_report_a_rejected_token_as_a_bad_response_mentioning_the_token() {
        var client = new ServiceClient(
                "up-service", upstream.baseUrl(), Optional.of(new Secret("wrong-token-0123456789")), fast(), metrics);

        assertThatThrownBy(() -> client.get("/flaky", Answer.class))
                .isInstanceOfSatisfying(
                        UpstreamException.BadResponse.class,
                        e -> assertThat(e.upstreamStatus()).isEqualTo(401))
                .hasMessageContaining("rejected this service's token");
        assertThat(flakyCalls).hasValue(0);
    }

    @Test
    void should_read_a_server_sent_event_stream_in_order() {
        List<SseEvent> events = new ArrayList<>();
        try (SseStream stream = client(fast()).stream("/stream", Map.of("q", "hi"), Map.of())) {
            Optional<SseEvent> event;
            while ((event = stream.next()).isPresent()) {
                events.add(event.get());
            }
        }

        assertThat(events).extracting(SseEvent::event).containsExactly("status", "delta", "delta", "done");
        assertThat(events.get(1).data()).isEqualTo("{\"text\":\"Hel\"}");
        assertThat(events.get(3).data()).isEqualTo("line one\nline two");
    }

    @Test
    void should_give_up_on_a_stream_that_stays_silent() {
        var options = fast().withStreamIdleTimeout(Duration.ofMillis(300));
        try (SseStream stream = client(options).stream("/stall", Map.of(), Map.of())) {
            assertThat(stream.next())
                    .hasValueSatisfying(e -> assertThat(e.event()).isEqualTo("status"));
            assertThatThrownBy(stream::next)
                    .isInstanceOf(UpstreamException.Timeout.class)
                    .hasMessageContaining("sent nothing for 300 ms");
        }
    }

    @Test
    void should_answer_503_naming_the_dead_upstream_when_a_service_depends_on_it() throws Exception {
        // given: a service whose route needs an upstream that is down
        var rag = new ServiceClient(
                "rag-service", URI.create("http://127.0.0.1:" + Ports.free()), Optional.empty(), fast(), metrics);
        ServiceApp agent = ServiceApp.create(
                        ServerConfig.forTests("agent", AuthConfig.open()),
                        metrics,
                        List.of(),
                        List.of(routes -> routes.get("/ask", ctx -> ctx.json(rag.get("/v1/search", Answer.class)))))
                .start();
        try {
            // when
            var response = Http.get(agent.baseUrl(), "/ask");

            // then
            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode error = Json.mapper().readTree(response.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("upstream_unavailable");
            assertThat(error.path("message").asText()).contains("rag-service is unreachable");
        } finally {
            agent.stop();
        }
    }
}
