package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two gateway shards in one ShardManager: each identifies with its shard, and both the guild and DMs are answered. */
class ShardingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void should_run_two_shards_and_answer_on_the_shard_that_owns_the_guild() {
        try (DiscordDouble discord = DiscordDouble.start();
                AgentDouble agent = AgentDouble.start()) {
            agent.script(r -> List.of(new Step.Delta("answer for " + r.conversationId()), new Step.Done(List.of())));
            ServiceApp bot = BotServiceApp.create(
                            BotServiceConfig.fromEnv(Env.of(Map.of(
                                    "JERRY_BOT_PORT",
                                    "0",
                                    "JERRY_DISCORD_TOKEN",
                                    DiscordDouble.TOKEN,
                                    "JERRY_DISCORD_API_URL",
                                    discord.restUrl(),
                                    "JERRY_DISCORD_GATEWAY_URL",
                                    discord.gatewayUrl(),
                                    "JERRY_DISCORD_SHARDS",
                                    "2",
                                    "JERRY_AGENT_SERVICE_URL",
                                    agent.baseUrl().toString(),
                                    "JERRY_MODEL_SERVICE_URL",
                                    "http://127.0.0.1:" + Ports.free(),
                                    "JERRY_RAG_SERVICE_URL",
                                    "http://127.0.0.1:" + Ports.free()))),
                            new ServiceMetrics("bot"))
                    .start();
            try {
                discord.awaitConnected(WAIT);
                assertThat(discord.identified()).containsExactlyInAnyOrder("[0, 2]", "[1, 2]");
                DiscordDouble.await(
                        () -> discord.commands().containsKey(AskCommand.NAME), WAIT, () -> "commands not registered");
                long user = DiscordDouble.BOB;

                var interaction = discord.slash(AskCommand.NAME, Map.of("prompt", "hi"), user, DiscordDouble.CHANNEL_ID)
                        .await(i -> i.text().startsWith("answer for guild:"), WAIT);
                discord.dm(user, "hello");
                DiscordDouble.await(
                        () -> discord.dmReplies(user).stream()
                                .anyMatch(m -> m.content().equals("answer for dm:" + user)),
                        WAIT,
                        () -> "DM replies: " + discord.dmReplies(user));

                assertThat(interaction.callbackType()).isEqualTo(5);
                assertThat(Http.get(bot.baseUrl(), "/health/ready").statusCode())
                        .isEqualTo(200);
                assertThat(DiscordDouble.shardOf(DiscordDouble.GUILD_ID, 2)).isBetween(0, 1);
            } finally {
                bot.stop();
            }
        }
    }
}
