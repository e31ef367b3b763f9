package dev.jerry.bot;

import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.time.Duration;
import java.util.List;

/** The composition root of bot-service: everything is wired here with {@code new}. */
public final class BotServiceApp {
    private BotServiceApp() {}

    public static ServiceApp create(BotServiceConfig config, ServiceMetrics metrics) {
        var agent = new HttpHealthCheck(
                config.agentService().name(),
                config.agentService().url().resolve("/health/live"),
                Duration.ofSeconds(1));
        var discord = HealthCheck.of(
                "discord",
                Duration.ofSeconds(1),
                () -> config.discordToken().isPresent()
                        ? HealthCheck.Result.up()
                        : HealthCheck.Result.down(BotServiceConfig.DISCORD_TOKEN + " is not set"));
        return ServiceApp.create(config.server(), metrics, List.of(agent, discord), List.of());
    }
}
