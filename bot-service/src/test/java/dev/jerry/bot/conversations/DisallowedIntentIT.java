package dev.jerry.bot.conversations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.bot.BotServiceApp;
import dev.jerry.bot.BotServiceConfig;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.Ports;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Asking for MESSAGE_CONTENT while the Developer Portal has it off: Discord closes the gateway with 4014. */
class DisallowedIntentIT {
    @Test
    void should_stop_naming_the_variable_when_discord_refuses_the_message_content_intent() {
        try (DiscordDouble discord = DiscordDouble.start().refusePrivilegedIntents()) {
            // given
            Map<String, String> variables =
                    new HashMap<>(RunningBot.env(discord, URI.create("http://127.0.0.1:" + Ports.free())));
            variables.put("JERRY_DISCORD_MESSAGE_CONTENT", "true");
            var env = Env.of(variables);

            // when / then
            assertThatThrownBy(() -> BotServiceApp.create(BotServiceConfig.fromEnv(env), new ServiceMetrics("bot")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("JERRY_DISCORD_MESSAGE_CONTENT: Discord refused the privileged Message")
                    .hasMessageContaining("Developer Portal");
        }
    }
}
