package dev.jerry.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RequestIdPropagationTest {
    private static final Logger log = LoggerFactory.getLogger(RequestIdPropagationTest.class);
    private static final String FRONT_TOKEN = "front-token-0123456789abcdef";

    record Pong(String from, String seenRequestId) {}

    @Test
    void should_carry_the_request_id_from_one_service_to_the_next_and_into_both_logs() {
        // given: "back" accepts the caller "front"; "front" calls "back" with its own token
        ServiceApp back = ServiceApp.create(
                        ServerConfig.forTests("back", new AuthConfig(Map.of("front", new Secret(FRONT_TOKEN)), false)),
                        new ServiceMetrics("back"),
                        List.of(),
                        List.of(routes -> routes.get("/pong", ctx -> {
                            log.info("answering pong");
                            ctx.json(new Pong("back", ctx.header("X-Request-Id")));
                        })))
                .start();
        ServiceMetrics frontMetrics = new ServiceMetrics("front");
        ServiceClient toBack = new ServiceClient(
                "back-service",
                back.baseUrl(),
                Optional.of(new Secret(FRONT_TOKEN)),
                ClientOptions.defaults(),
                frontMetrics);
        ServiceApp front = ServiceApp.create(
                        ServerConfig.forTests("front", AuthConfig.open()),
                        frontMetrics,
                        List.of(),
                        List.of(routes -> routes.get("/relay", ctx -> {
                            log.info("relaying to back");
                            ctx.json(toBack.get("/pong", Pong.class));
                        })))
                .start();

        try (LogCapture logs = new LogCapture()) {
            // when
            var response = Http.get(front.baseUrl(), "/relay", "X-Request-Id", "trace-7f3a");

            // then: the id came back, reached the second service, and sits in the MDC of both services' log lines
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Request-Id")).hasValue("trace-7f3a");
            assertThat(response.body()).contains("\"seen_request_id\":\"trace-7f3a\"");
            assertThat(linesOf(logs.events(), "front"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "trace-7f3a"));
            assertThat(linesOf(logs.events(), "back"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                            .containsEntry("request_id", "trace-7f3a")
                            .containsEntry("caller", "front"));
            assertThat(logs.events())
                    .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(FRONT_TOKEN));
        } finally {
            front.stop();
            back.stop();
        }
    }

    private static List<ILoggingEvent> linesOf(List<ILoggingEvent> events, String service) {
        return events.stream()
                .filter(e -> service.equals(e.getMDCPropertyMap().get("service")))
                .toList();
    }
}
