package dev.jerry.bot;

import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import java.net.URI;
import java.util.Optional;

/**
 * bot-service's configuration, read once at start-up. Its HTTP port serves only health and metrics.
 *
 * @param agentService {@code JERRY_AGENT_SERVICE_URL} and {@code JERRY_AGENT_SERVICE_TOKEN}
 * @param discordToken {@code JERRY_DISCORD_TOKEN} or {@code JERRY_DISCORD_TOKEN_FILE}
 */
public record BotServiceConfig(ServerConfig server, UpstreamConfig agentService, Optional<Secret> discordToken) {
    public static final String SERVICE = "bot";
    public static final int DEFAULT_PORT = 8084;
    public static final String DISCORD_TOKEN = "JERRY_DISCORD_TOKEN";

    public static BotServiceConfig fromEnv(Env env) {
        return new BotServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                UpstreamConfig.fromEnv(env, "AGENT_SERVICE", "agent-service", URI.create("http://127.0.0.1:8083")),
                env.secret(DISCORD_TOKEN));
    }
}
