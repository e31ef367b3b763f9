package dev.jerry.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAppTest {
    private static final String AGENT_TOKEN = "agent-token-0123456789abcdef";
    private static final String BOT_TOKEN = "bot-token-0123456789abcdef";

    record Greeting(String name, int times) {
        Greeting {
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1");
            }
        }
    }

    private ServiceApp app;

    @BeforeEach
    void start() {
        // the "bot" caller was revoked: only "agent" and "admin" remain configured
        var auth = new AuthConfig(
                Map.of("agent", new Secret(AGENT_TOKEN), "admin", new Secret("admin-token-0123456789abcdef")), false);
        app = ServiceApp.create(
                        ServerConfig.forTests("test", auth).withMaxBodyBytes(2048),
                        new ServiceMetrics("test"),
                        List.of(),
                        List.of(routes -> {
                            routes.post("/greet", ctx -> {
                                Greeting g = Json.readRequest(ctx.body(), Greeting.class);
                                ctx.json(Map.of("text", ("hello " + g.name() + " ").repeat(g.times())));
                            });
                            routes.get("/items/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"))));
                            routes.post("/ping", ctx -> ctx.json(Map.of("pong", true)));
                            routes.get("/boom", ctx -> {
                                throw new IllegalStateException("secret internals /etc/passwd");
                            });
                            routes.post("/v1/chat/completions", ctx -> {
                                Json.readRequest(ctx.body(), Greeting.class);
                                throw new ServiceException.BadInput("temperature", "field 'temperature' is wrong");
                            });
                            routes.post("/api/chat", ctx -> {
                                throw new ServiceException.NotFound("model 'nope' is not available");
                            });
                            routes.get("/others", ctx -> {
                                throw new ServiceException.Forbidden("conversation 'dm:1' belongs to user '1'");
                            });
                            routes.get("/busy", ctx -> {
                                throw new ServiceException.TooBusy("the queue is full", Duration.ofMillis(2500));
                            });
                        }))
                .start();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("request_id").asText())
                .isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void should_reject_a_request_without_a_token_with_401_json() throws Exception {
        // when
        var response = Http.get(app.baseUrl(), "/items/1");

        // then
        assertError(response, 401, "unauthorized");
        assertThat(json(response).path("error").path("message").asText()).contains("Authorization: Bearer");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jerry\"");
    }

    @Test
    void should_reject_a_wrong_token_and_a_revoked_callers_token_with_401() throws Exception {
        assertError(
                Http.get(app.baseUrl(), "/items/1", "Authorization", bearer("not-a-valid-token-at-all")),
                401,
                "unauthorized");
        assertError(Http.get(app.baseUrl(), "/items/1", "Authorization", bearer(BOT_TOKEN)), 401, "unauthorized");
        assertError(Http.get(app.baseUrl(), "/items/1", "Authorization", "Basic " + AGENT_TOKEN), 401, "unauthorized");
    }

    @Test
    void should_accept_each_configured_caller_independently() throws Exception {
        var asAgent = Http.get(app.baseUrl(), "/items/7", "Authorization", bearer(AGENT_TOKEN));
        var asAdmin = Http.get(app.baseUrl(), "/items/8", "Authorization", bearer("admin-token-0123456789abcdef"));

        assertThat(asAgent.statusCode()).isEqualTo(200);
        assertThat(json(asAgent).path("id").asText()).isEqualTo("7");
        assertThat(asAdmin.statusCode()).isEqualTo(200);
    }

    @Test
    void should_keep_liveness_open_even_when_auth_is_on() throws Exception {
        var response = Http.get(app.baseUrl(), "/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("live");
    }

    @Test
    void should_answer_bad_input_with_400_naming_the_field() throws Exception {
        String auth = bearer(AGENT_TOKEN);

        var notJson = Http.post(app.baseUrl(), "/greet", "{nope", "Authorization", auth);
        var wrongType =
                Http.post(app.baseUrl(), "/greet", "{\"name\":\"x\",\"times\":\"many\"}", "Authorization", auth);
        var invalid = Http.post(app.baseUrl(), "/greet", "{\"name\":\"x\",\"times\":0}", "Authorization", auth);

        assertError(notJson, 400, "bad_request");
        assertError(wrongType, 400, "bad_request");
        assertThat(json(wrongType).path("error").path("message").asText()).contains("times");
        assertError(invalid, 400, "bad_request");
        assertThat(json(invalid).path("error").path("message").asText()).isEqualTo("times must be at least 1");
    }

    @Test
    void should_answer_unknown_routes_with_404_json() throws Exception {
        assertError(Http.get(app.baseUrl(), "/nowhere", "Authorization", bearer(AGENT_TOKEN)), 404, "not_found");
    }

    @Test
    void should_answer_a_wrong_method_with_405_json_and_allow_header() throws Exception {
        var response = Http.get(app.baseUrl(), "/greet", "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    }

    @Test
    void should_answer_an_oversized_body_with_413_stating_the_limit() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(4000) + "\",\"times\":1}";

        var response = Http.post(app.baseUrl(), "/greet", big, "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 413, "payload_too_large");
        assertThat(json(response).path("error").path("message").asText())
                .contains("2048")
                .contains("JERRY_MAX_BODY_BYTES");
    }

    @Test
    void should_refuse_an_oversized_body_even_on_a_route_that_never_reads_it() throws Exception {
        var response = Http.post(app.baseUrl(), "/ping", "x".repeat(5000), "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 413, "payload_too_large");
        assertThat(json(response).path("error").path("message").asText())
                .isEqualTo("request body is 5000 bytes; the limit is 2048 bytes (JERRY_MAX_BODY_BYTES)");
    }

    @Test
    void should_answer_an_oversized_chunked_body_without_content_length_with_413() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(4000) + "\",\"times\":1}").getBytes();
        var request = HttpRequest.newBuilder(app.baseUrl().resolve("/greet"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .header("Authorization", bearer(AGENT_TOKEN));

        assertError(Http.send(request), 413, "payload_too_large");
    }

    @Test
    void should_answer_a_crash_with_500_json_without_internals() throws Exception {
        var response = Http.get(app.baseUrl(), "/boom", "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 500, "internal_error");
        assertThat(response.body()).doesNotContain("passwd", "IllegalStateException", "at dev.jerry");
    }

    @Test
    void should_echo_a_given_request_id_and_generate_one_otherwise() {
        var given = Http.get(app.baseUrl(), "/health/live", "X-Request-Id", "abc-123");
        var generated = Http.get(app.baseUrl(), "/health/live");
        var unsafe = Http.get(app.baseUrl(), "/health/live", "X-Request-Id", "evil\tinjected");

        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        assertThat(generated.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{24}"));
        assertThat(unsafe.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{24}"));
    }

    @Test
    void should_show_the_request_in_metrics_with_its_route_template_and_caller() {
        // given
        Http.get(app.baseUrl(), "/items/42", "Authorization", bearer(AGENT_TOKEN));
        Http.get(app.baseUrl(), "/items/1", "Authorization", bearer("wrong-token-0123456789"));

        // when
        var metrics = Http.get(app.baseUrl(), "/metrics");

        // then
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("jerry_test_http_server_requests_seconds_count\\{[^}]*caller=\"agent\"[^}]*"
                        + "method=\"GET\"[^}]*route=\"/items/\\{id}\"[^}]*status=\"200\"[^}]*} 1")
                .containsPattern("jerry_test_http_server_requests_seconds_bucket\\{[^}]*route=\"/items/\\{id}\"")
                .containsPattern("jerry_test_auth_failures_total\\{[^}]*reason=\"invalid\"[^}]*} 1")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("/items/42");
    }

    @Test
    void should_protect_readiness_and_metrics_when_configured() throws Exception {
        var auth = new AuthConfig(Map.of("prometheus", new Secret("prom-token-0123456789abcdef")), true);
        ServiceApp protectedApp = ServiceApp.create(
                        ServerConfig.forTests("prot", auth), new ServiceMetrics("prot"), List.of(), List.of())
                .start();
        try {
            assertError(Http.get(protectedApp.baseUrl(), "/metrics"), 401, "unauthorized");
            assertError(Http.get(protectedApp.baseUrl(), "/health/ready"), 401, "unauthorized");
            assertThat(Http.get(
                                    protectedApp.baseUrl(),
                                    "/metrics",
                                    "Authorization",
                                    bearer("prom-token-0123456789abcdef"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(Http.get(protectedApp.baseUrl(), "/health/live").statusCode())
                    .isEqualTo(200);
        } finally {
            protectedApp.stop();
        }
    }

    /** What a client that does not use java.net.http may send: the raw request, answered as raw text. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            var answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                // Jetty may keep the connection open after an error it answered: read what came
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException stopped) {
                // what was answered is in the buffer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void should_answer_a_json_null_body_with_400_not_500() throws Exception {
        var response = Http.post(app.baseUrl(), "/greet", "null", "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 400, "bad_request");
        assertThat(json(response).path("error").path("message").asText()).contains("JSON object");
    }

    @Test
    void should_refuse_nul_characters_and_lone_surrogates_naming_the_field() throws Exception {
        String auth = bearer(AGENT_TOKEN);

        var nul = Http.post(app.baseUrl(), "/greet", "{\"name\":\"a\\u0000b\",\"times\":1}", "Authorization", auth);
        var surrogate =
                Http.post(app.baseUrl(), "/greet", "{\"name\":\"x\\ud800\",\"times\":1}", "Authorization", auth);

        assertError(nul, 400, "bad_request");
        assertThat(json(nul).path("error").path("message").asText())
                .contains("'name'")
                .contains("NUL");
        assertError(surrogate, 400, "bad_request");
        assertThat(json(surrogate).path("error").path("message").asText())
                .contains("'name'")
                .contains("surrogate");
    }

    @Test
    void should_answer_openai_routes_in_openai_error_shape_with_the_param() throws Exception {
        var response = Http.post(
                app.baseUrl(),
                "/v1/chat/completions",
                "{\"name\":\"x\",\"times\":1}",
                "Authorization",
                bearer(AGENT_TOKEN));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asText()).isEqualTo("field 'temperature' is wrong");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("temperature");
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void should_answer_openai_routes_without_a_param_with_an_explicit_null() throws Exception {
        var response = Http.post(app.baseUrl(), "/v1/chat/completions", "[]", "Authorization", bearer(AGENT_TOKEN));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
    }

    @Test
    void should_answer_ollama_routes_in_ollama_error_shape() throws Exception {
        var unauthenticated = Http.post(app.baseUrl(), "/api/chat", "{}");
        var missing = Http.post(app.baseUrl(), "/api/chat", "{}", "Authorization", bearer(AGENT_TOKEN));

        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(json(unauthenticated).path("error").isTextual()).isTrue();
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").asText()).isEqualTo("model 'nope' is not available");
        assertThat(missing.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void should_answer_forbidden_with_403_json_and_its_message() throws Exception {
        // when
        var response = Http.get(app.baseUrl(), "/others", "Authorization", bearer(AGENT_TOKEN));

        // then
        assertError(response, 403, "forbidden");
        assertThat(json(response).path("error").path("message").asText())
                .isEqualTo("conversation 'dm:1' belongs to user '1'");
    }

    @Test
    void should_answer_too_busy_with_429_and_retry_after_in_whole_seconds() throws Exception {
        var response = Http.get(app.baseUrl(), "/busy", "Authorization", bearer(AGENT_TOKEN));

        assertError(response, 429, "rate_limited");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void should_answer_paths_jetty_refuses_with_the_json_error_body() throws Exception {
        for (String path : List.of("/items/%00", "/items/..;/greet", "/%2e%2e/etc/passwd", "/items/a%2Fb")) {
            // when
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            // then
            assertThat(response).as(path).startsWith("HTTP/1.1 4");
            assertThat(response).as(path).containsIgnoringCase("content-type: application/json");
            assertThat(response).as(path).contains("\"error\"").doesNotContain("<html", "<h2>");
        }
    }

    @Test
    void should_answer_oversized_headers_with_431_json() throws Exception {
        // when
        String response = raw(
                "GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(response).startsWith("HTTP/1.1 431");
        assertThat(response).containsIgnoringCase("content-type: application/json");
        assertThat(response).contains("\"error\"").contains("headers are too large");
    }
}
