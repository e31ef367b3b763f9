package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.Ports;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BotServiceAppTest {

    @Test
    void should_refuse_to_start_without_a_discord_token_naming_the_variable() {
        assertThatThrownBy(() -> BotServiceConfig.fromEnv(Env.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("JERRY_DISCORD_TOKEN: is not set")
                .hasMessageContaining("JERRY_DISCORD_TOKEN_FILE");
    }

    @Test
    void should_fail_fast_when_discord_refuses_the_token() {
        try (DiscordDouble discord = DiscordDouble.start()) {
            var env = Env.of(Map.of(
                    "JERRY_BOT_PORT",
                    "0",
                    "JERRY_DISCORD_TOKEN",
                    "not-the-right-token",
                    "JERRY_DISCORD_API_URL",
                    discord.restUrl(),
                    "JERRY_DISCORD_GATEWAY_URL",
                    discord.gatewayUrl(),
                    "JERRY_AGENT_SERVICE_URL",
                    "http://127.0.0.1:" + Ports.free()));
            long start = System.nanoTime();

            assertThatThrownBy(() -> BotServiceApp.create(BotServiceConfig.fromEnv(env), new ServiceMetrics("bot")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("JERRY_DISCORD_TOKEN: Discord refused the bot token (401");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(discord.identifies()).as("never reached the gateway").isZero();
        }
    }

    @Test
    void should_read_limits_allowlists_and_shards() {
        var config = BotServiceConfig.fromEnv(Env.of(Map.of(
                "JERRY_DISCORD_TOKEN", "t",
                "JERRY_BOT_RATE_LIMIT", "10/30s",
                "JERRY_BOT_ROLE_QUOTAS", "123:500, 456:0",
                "JERRY_DISCORD_GUILDS", "1,2",
                "JERRY_DISCORD_SHARDS", "auto")));

        assertThat(config.limits().burst()).isEqualTo(10);
        assertThat(config.limits().refill()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.limits().roleQuotas()).containsEntry(123L, 500).containsEntry(456L, 0);
        assertThat(config.access().guilds()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(config.discord().shards()).isEqualTo(OptionalInt.empty());
        assertThat(BotServiceConfig.fromEnv(Env.of(Map.of("JERRY_DISCORD_TOKEN", "t")))
                        .discord()
                        .shards())
                .isEqualTo(OptionalInt.of(1));
    }

    @Test
    void should_name_the_variable_of_a_bad_value() {
        assertThatThrownBy(() -> BotServiceConfig.fromEnv(
                        Env.of(Map.of("JERRY_DISCORD_TOKEN", "t", "JERRY_BOT_RATE_LIMIT", "lots"))))
                .hasMessageStartingWith("JERRY_BOT_RATE_LIMIT: must be requests per period such as 5/1m");
        assertThatThrownBy(() -> BotServiceConfig.fromEnv(
                        Env.of(Map.of("JERRY_DISCORD_TOKEN", "t", "JERRY_DISCORD_CHANNELS", "general"))))
                .hasMessageStartingWith("JERRY_DISCORD_CHANNELS: must be Discord ids");
        assertThatThrownBy(() -> BotServiceConfig.fromEnv(
                        Env.of(Map.of("JERRY_DISCORD_TOKEN", "t", "JERRY_DISCORD_GATEWAY_URL", "http://x"))))
                .hasMessageStartingWith("JERRY_DISCORD_GATEWAY_URL: must be a ws:// or wss:// URL");
        assertThatThrownBy(() -> BotServiceConfig.fromEnv(
                        Env.of(Map.of("JERRY_DISCORD_TOKEN", "t", "JERRY_BOT_EDIT_INTERVAL", "50ms"))))
                .hasMessageStartingWith("JERRY_BOT_EDIT_INTERVAL: must be at least 200ms");
    }
}
