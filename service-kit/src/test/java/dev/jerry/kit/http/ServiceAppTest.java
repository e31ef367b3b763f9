package dev.jerry.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
