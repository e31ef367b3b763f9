package dev.jerry.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentServiceAppTest {
    @TempDir
    static Path data;

    private static String database() {
        return "jdbc:sqlite:" + data.resolve("agent.db");
    }

    @Test
    void should_be_not_ready_naming_model_service_when_it_is_down() {
        var env =
                Env.of(Map.of("JERRY_AGENT_PORT", "0", "JERRY_MODEL_SERVICE_URL", "http://127.0.0.1:" + Ports.free()));
        ServiceApp app = AgentServiceApp.create(AgentServiceConfig.fromEnv(env), new ServiceMetrics("agent"))
                .start();
        try {
            var ready = Http.get(app.baseUrl(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("not ready: model-service (unreachable at");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_be_ready_when_model_service_is_live_and_require_its_token_when_auth_is_on() {
        // given: a service kit app answering /health/live like model-service does
        ServiceApp model = ServiceApp.create(
                        ServerConfig.forTests("model", AuthConfig.open()),
                        new ServiceMetrics("model"),
                        List.of(),
                        List.of())
                .start();
        var env = Env.of(Map.of(
                "JERRY_AGENT_PORT",
                "0",
                "JERRY_MODEL_SERVICE_URL",
                model.baseUrl().toString(),
                "JERRY_AUTH_TOKENS",
                "bot:bot-token-0123456789abcdef",
                "JERRY_DATABASE_URL",
                database()));
        AgentServiceConfig config = AgentServiceConfig.fromEnv(env);
        ServiceApp agent =
                AgentServiceApp.create(config, new ServiceMetrics("agent")).start();
        try {
            assertThat(Http.get(agent.baseUrl(), "/health/ready").statusCode()).isEqualTo(200);
            assertThat(Http.get(agent.baseUrl(), "/v1/plugins").statusCode()).isEqualTo(401);
            assertThat(config.toString()).doesNotContain("bot-token");
            assertThat(config.server().auth().callers()).containsEntry("bot", new Secret("bot-token-0123456789abcdef"));
        } finally {
            agent.stop();
            model.stop();
        }
    }
}
