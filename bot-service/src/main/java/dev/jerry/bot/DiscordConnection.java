package dev.jerry.bot;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.health.HealthCheck;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import net.dv8tion.jda.api.utils.messages.MessageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's login to Discord: JDA's ShardManager (one shard unless {@code JERRY_DISCORD_SHARDS} says otherwise), with
 * the fewest gateway intents Jerry needs: GUILDS (always on in JDA: the roles and channels of interactions),
 * DIRECT_MESSAGES and GUILD_MESSAGES (mentions, replies and threads). Slash commands need no intent; DMs and messages
 * that mention the bot carry their content without the privileged MESSAGE_CONTENT intent, which is asked for only
 * when {@code JERRY_DISCORD_MESSAGE_CONTENT=true} (every message in Jerry's threads). JDA reconnects and resumes by
 * itself after a gateway loss.
 */
public final class DiscordConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscordConnection.class);
    static final EnumSet<GatewayIntent> INTENTS =
            EnumSet.of(GatewayIntent.DIRECT_MESSAGES, GatewayIntent.GUILD_MESSAGES);

    private final ShardManager shards;

    private DiscordConnection(ShardManager shards) {
        this.shards = shards;
    }

    /**
     * Logs in and waits until every shard is connected.
     *
     * @throws ConfigException naming {@code JERRY_DISCORD_TOKEN} when Discord refuses the token
     */
    public static DiscordConnection connect(BotServiceConfig config, List<Object> listeners, Duration readyTimeout) {
        // answers quote users and models: never let them ping @everyone, roles or users
        MessageRequest.setDefaultMentions(EnumSet.noneOf(Message.MentionType.class));
        BotServiceConfig.Discord discord = config.discord();
        CompletableFuture<CloseCode> refused = new CompletableFuture<>();
        DefaultShardManagerBuilder builder = DefaultShardManagerBuilder.createLight(
                        config.discordToken().value(), intents(config.discord()))
                .addEventListeners(listeners.toArray())
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onShutdown(ShutdownEvent event) {
                        if (event.getCloseCode() != null) {
                            refused.complete(event.getCloseCode());
                        }
                    }
                })
                // events are handled on virtual threads: a slow handler never holds up the next interaction's ack
                .setEventPool(Executors.newVirtualThreadPerTaskExecutor(), true)
                .setShardsTotal(discord.shards().orElse(-1));
        discord.apiUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(url + "/")));
        discord.gatewayUrl().ifPresent(gateway -> {
            builder.setSessionController(
                    new FixedGateway(gateway, discord.shards().orElse(1)));
            builder.setCompression(Compression.NONE);
        });
        ShardManager shards;
        try {
            shards = builder.build();
        } catch (InvalidTokenException | ErrorResponseException e) {
            if (e instanceof ErrorResponseException error && error.getResponse().code != 401) {
                throw new IllegalStateException(
                        "cannot log in to Discord at "
                                + discord.apiUrl().map(URI::toString).orElse("discord.com") + ": " + e.getMessage(),
                        e);
            }
            throw new ConfigException(
                    BotServiceConfig.DISCORD_TOKEN,
                    "Discord refused the bot token (401 Unauthorized): copy it again from the Developer Portal "
                            + "(Bot → Reset Token)");
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot log in to Discord at "
                            + discord.apiUrl().map(URI::toString).orElse("discord.com") + ": " + e.getMessage(),
                    e);
        }
        DiscordConnection connection = new DiscordConnection(shards);
        try {
            connection.awaitReady(readyTimeout);
        } catch (IllegalStateException e) {
            if (disallowedIntents(refused)) {
                throw new ConfigException(
                        BotServiceConfig.MESSAGE_CONTENT,
                        "Discord refused the privileged Message Content intent (gateway close code 4014): enable"
                                + " Message Content Intent under Bot in the Developer Portal, or unset "
                                + BotServiceConfig.MESSAGE_CONTENT);
            }
            throw e;
        }
        log.info(
                "logged in to Discord as {} with {} shard(s)",
                shards.getShards().getFirst().getSelfUser().getName(),
                shards.getShardsTotal());
        return connection;
    }

    static EnumSet<GatewayIntent> intents(BotServiceConfig.Discord discord) {
        EnumSet<GatewayIntent> intents = EnumSet.copyOf(INTENTS);
        if (discord.messageContent()) {
            intents.add(GatewayIntent.MESSAGE_CONTENT);
        }
        return intents;
    }

    /** Whether a shard was closed for asking an intent the bot may not use (JDA reports it as its shutdown). */
    private static boolean disallowedIntents(CompletableFuture<CloseCode> closed) {
        try {
            return closed.get(2, TimeUnit.SECONDS) == CloseCode.DISALLOWED_INTENTS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private void awaitReady(Duration timeout) {
        CompletableFuture<Void> ready = CompletableFuture.runAsync(
                () -> {
                    try {
                        // shards beyond the first start one by one (Discord's identify rate limit)
                        while (shards.getShards().size() < shards.getShardsTotal()) {
                            Thread.sleep(100);
                        }
                        for (JDA shard : shards.getShards()) {
                            shard.awaitReady();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while connecting to Discord", e);
                    }
                },
                command -> Thread.ofVirtual().start(command));
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            shards.shutdown();
            throw new IllegalStateException("Discord's gateway did not get ready within " + timeout.toSeconds()
                    + " s (shards: " + statuses() + ")");
        } catch (Exception e) {
            shards.shutdown();
            throw new IllegalStateException("could not connect to Discord's gateway: " + e.getMessage(), e);
        }
    }

    public ShardManager shards() {
        return shards;
    }

    private Map<Integer, JDA.Status> statuses() {
        return shards.getShards().stream()
                .collect(Collectors.toMap(s -> s.getShardInfo().getShardId(), JDA::getStatus));
    }

    /** Up while every shard is connected; down with each shard's status otherwise (reconnecting, resuming...). */
    public HealthCheck health() {
        return HealthCheck.of("discord", Duration.ofSeconds(1), () -> {
            Map<Integer, JDA.Status> statuses = statuses();
            boolean up = !statuses.isEmpty()
                    && statuses.size() == shards.getShardsTotal()
                    && statuses.values().stream().allMatch(s -> s == JDA.Status.CONNECTED);
            return up ? HealthCheck.Result.up() : HealthCheck.Result.down("gateway not connected: shards " + statuses);
        });
    }

    @Override
    public void close() {
        shards.shutdown();
    }

    /** A gateway at a fixed address (a proxy or a test double) instead of the one Discord's REST API names. */
    private static final class FixedGateway extends SessionControllerAdapter {
        private final String url;
        private final int shardsTotal;

        FixedGateway(URI url, int shardsTotal) {
            this.url = url.toString();
            this.shardsTotal = shardsTotal;
        }

        @Override
        public String getGateway() {
            return url;
        }

        @Override
        public ShardedGateway getShardedGateway(JDA api) {
            return new ShardedGateway(url, shardsTotal);
        }
    }
}
