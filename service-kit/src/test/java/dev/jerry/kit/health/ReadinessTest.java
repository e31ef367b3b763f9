package dev.jerry.kit.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static HttpResponse<String> getWithin2Seconds(URI uri) throws Exception {
        // the contract is an answer within 2 s: a later answer fails this request with HttpTimeoutException
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void should_answer_within_2_seconds_and_name_the_check_whose_dependency_hangs() throws Exception {
        // given: one healthy check, one whose dependency never answers, with a generous own timeout
        var healthy = HealthCheck.of("database", Duration.ofSeconds(1), () -> HealthCheck.Result.up(Map.of("rows", 3)));
        var hanging = HealthCheck.of("chroma", Duration.ofSeconds(30), () -> {
            Thread.sleep(Duration.ofMinutes(5));
            return HealthCheck.Result.up();
        });
        ServiceMetrics metrics = new ServiceMetrics("ready");
        ServiceApp app = ServiceApp.create(
                        ServerConfig.forTests("ready", AuthConfig.open()),
                        metrics,
                        List.of(healthy, hanging),
                        List.of())
                .start();
        try {
            // when
            HttpResponse<String> response = getWithin2Seconds(app.baseUrl().resolve("/health/ready"));

            // then
            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode body = Json.mapper().readTree(response.body());
            assertThat(body.path("status").asText()).isEqualTo("not_ready");
            assertThat(body.path("checks").path("database").path("status").asText())
                    .isEqualTo("up");
            assertThat(body.path("checks")
                            .path("database")
                            .path("details")
                            .path("rows")
                            .asInt())
                    .isEqualTo(3);
            assertThat(body.path("checks").path("chroma").path("status").asText())
                    .isEqualTo("down");
            assertThat(body.path("checks").path("chroma").path("reason").asText())
                    .startsWith("timed out after");
            assertThat(body.path("error").path("message").asText()).contains("chroma");
            assertThat(metrics.scrape())
                    .containsPattern("jerry_ready_timeouts_total\\{[^}]*what=\"health_check:chroma\"");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_honour_each_checks_own_timeout_and_report_failures_by_name() {
        // given
        var quickTimeout = HealthCheck.of("slow", Duration.ofMillis(100), () -> {
            Thread.sleep(Duration.ofSeconds(10));
            return HealthCheck.Result.up();
        });
        var failing = HealthCheck.of("ollama", Duration.ofSeconds(1), () -> {
            throw new java.net.ConnectException("connection refused");
        });
        var down = HealthCheck.of("model", Duration.ofSeconds(1), () -> HealthCheck.Result.down("model not loaded"));
        Readiness readiness = new Readiness(List.of(quickTimeout, failing, down), new ServiceMetrics("r"));

        // when
        Readiness.Report report = readiness.evaluate();

        // then
        assertThat(report.ready()).isFalse();
        assertThat(report.checks().get("slow").reason()).isEqualTo("timed out after 100 ms");
        assertThat(report.checks().get("ollama").reason()).isEqualTo("connection refused");
        assertThat(report.checks().get("model").reason()).isEqualTo("model not loaded");
        assertThat(report.failures()).contains("slow (timed out after 100 ms)", "ollama (connection refused)");
        readiness.close();
    }

    @Test
    void should_be_ready_when_every_check_is_up() {
        Readiness readiness = new Readiness(
                List.of(HealthCheck.of("a", Duration.ofSeconds(1), HealthCheck.Result::up)), new ServiceMetrics("r"));

        assertThat(readiness.evaluate().ready()).isTrue();
        readiness.close();
    }
}
