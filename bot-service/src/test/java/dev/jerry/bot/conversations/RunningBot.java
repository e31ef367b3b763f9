package dev.jerry.bot.conversations;

import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;

import dev.jerry.bot.AgentDouble;
import dev.jerry.bot.BotServiceApp;
import dev.jerry.bot.BotServiceConfig;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.GuildChat;
import dev.jerry.testing.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/** The real bot (JDA) logged in to a Discord double, answering through an agent-service double. */
record RunningBot(DiscordDouble discord, AgentDouble agent, ServiceApp bot) implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    static RunningBot start(Map<String, String> extraEnv) {
        DiscordDouble discord = DiscordDouble.start();
        AgentDouble agent = AgentDouble.start();
        Map<String, String> env = env(discord, agent.baseUrl());
        env.putAll(extraEnv);
        ServiceApp bot = BotServiceApp.create(BotServiceConfig.fromEnv(Env.of(env)), new ServiceMetrics("bot"))
                .start();
        Awaitility.await("the bot registers its commands")
                .atMost(WAIT)
                .until(() -> discord.commands().containsKey(AskCommand.NAME));
        return new RunningBot(discord, agent, bot);
    }

    /** The bot's variables for this Discord double and agent-service, with a generous rate limit. */
    static Map<String, String> env(DiscordDouble discord, URI agent) {
        Map<String, String> env = new HashMap<>();
        env.put("JERRY_BOT_PORT", "0");
        env.put("JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN);
        env.put("JERRY_DISCORD_API_URL", discord.restUrl());
        env.put("JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl());
        env.put("JERRY_AGENT_SERVICE_URL", agent.toString());
        env.put("JERRY_MODEL_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        env.put("JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        env.put("JERRY_BOT_EDIT_INTERVAL", "200ms");
        env.put("JERRY_BOT_RATE_LIMIT", "100/1m");
        return env;
    }

    /** {@code /jerry prompt:<question> thread:true}: the interaction and the thread, once its first answer is there. */
    Opened askInThread(String question, long user) {
        var interaction = discord.slash(AskCommand.NAME, Map.of("prompt", question, "thread", true), user, CHANNEL_ID)
                .await(i -> i.text().startsWith("🧵"), WAIT);
        GuildChat chat = discord.guildChat();
        GuildChat.Thread thread = Awaitility.await("a thread")
                .atMost(WAIT)
                .until(() -> chat.threads().stream().findFirst(), Optional::isPresent)
                .orElseThrow();
        Awaitility.await("the first answer in the thread")
                .atMost(WAIT)
                .until(() -> chat.fromBot(thread.id()).stream()
                        .anyMatch(p ->
                                p.content().startsWith("Answer") && !p.content().endsWith(" …")));
        return new Opened(interaction, thread);
    }

    record Opened(DiscordDouble.Interaction interaction, GuildChat.Thread thread) {}

    @Override
    public void close() {
        bot.stop();
        agent.close();
        discord.close();
    }
}
