package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotServiceAppTest {

    @Test
    void should_be_live_but_not_ready_without_a_discord_token_or_agent() {
        var env = Env.of(Map.of("JERRY_BOT_PORT", "0", "JERRY_AGENT_SERVICE_URL", "http://127.0.0.1:" + Ports.free()));
        ServiceApp app = BotServiceApp.create(BotServiceConfig.fromEnv(env), new ServiceMetrics("bot"))
                .start();
        try {
            assertThat(Http.get(app.baseUrl(), "/health/live").statusCode()).isEqualTo(200);
            var ready = Http.get(app.baseUrl(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("discord (JERRY_DISCORD_TOKEN is not set)")
                    .contains("agent-service (unreachable at");
        } finally {
            app.stop();
        }
    }
}
