package dev.jerry.bot;

import dev.jerry.bot.attach.AttachmentIntake;
import dev.jerry.bot.channels.AgentState;
import dev.jerry.bot.channels.FeedbackButtons;
import dev.jerry.bot.channels.ModelCatalog;
import dev.jerry.bot.channels.PlaceSettings;
import dev.jerry.bot.commands.AdminCommand;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.bot.commands.ConfigCommand;
import dev.jerry.bot.commands.FeedbackReport;
import dev.jerry.bot.commands.ForgetCommand;
import dev.jerry.bot.commands.ModelCommand;
import dev.jerry.bot.commands.SlashCommand;
import dev.jerry.bot.commands.StatusCommand;
import dev.jerry.bot.conversations.GuildMessages;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The composition root of bot-service: everything is wired here with {@code new}. */
public final class BotServiceApp {
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private BotServiceApp() {}

    /** Logs in to Discord (failing fast on a refused token) and returns the health/metrics app, not yet started. */
    public static ServiceApp create(BotServiceConfig config, ServiceMetrics metrics) {
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(
                1, Thread.ofPlatform().name("bot-timer").daemon().factory());
        ClientOptions streaming = ClientOptions.defaults()
                .withReadTimeout(config.answerTimeout())
                .withStreamIdleTimeout(config.answerTimeout())
                .withMaxAttempts(2);
        ClientOptions quick = new ClientOptions(
                Duration.ofSeconds(2),
                Duration.ofSeconds(4),
                Duration.ofSeconds(4),
                1,
                Duration.ofMillis(100),
                Duration.ofSeconds(1));
        AgentClient agent = new AgentClient(config.agentService().client(streaming, metrics));
        ServiceClient model = config.modelService().client(quick, metrics);
        StatusReport status = new StatusReport(
                model,
                config.ragService().client(quick, metrics),
                config.agentService().client(quick, metrics),
                workers);
        BotMetrics botMetrics = new BotMetrics(metrics);
        AgentState shared = new AgentState(config.agentService().client(quick, metrics));
        ModelCatalog catalog = new ModelCatalog(model);
        Gate gate = new Gate(config.access(), config.limits(), shared::take);
        PlaceSettings settings = new PlaceSettings(shared);
        Answering answering = new Answering(
                agent, settings, botMetrics, workers, timer, config.answerTimeout(), config.editInterval());
        var intake = new AttachmentIntake(
                agent,
                settings,
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                workers,
                botMetrics);
        List<SlashCommand> commands = List.of(
                new AskCommand(gate, botMetrics, answering, settings::threadByDefault, intake),
                new ForgetCommand(agent, botMetrics, workers),
                new StatusCommand(status, workers),
                new AdminCommand(
                        status,
                        new ModelPull(model, ModelPull.POLL, ModelPull.LONGEST),
                        botMetrics,
                        workers,
                        new FeedbackReport(shared, botMetrics)),
                new ConfigCommand(shared, catalog, botMetrics, workers),
                new ModelCommand(shared, catalog, botMetrics, workers));
        JerryBot bot =
                new JerryBot(commands, new DirectMessages(gate, botMetrics, answering, timer, intake), botMetrics);
        DiscordConnection discord;
        try {
            discord = DiscordConnection.connect(
                    config,
                    List.of(
                            bot,
                            new FeedbackButtons(shared, botMetrics, workers),
                            new GuildMessages(
                                    gate,
                                    botMetrics,
                                    answering,
                                    intake,
                                    config.discord().messageContent())),
                    READY_TIMEOUT);
        } catch (RuntimeException e) {
            workers.shutdownNow();
            timer.shutdownNow();
            throw e;
        }
        var agentHealth = new HttpHealthCheck(
                config.agentService().name(),
                config.agentService().url().resolve("/health/live"),
                Duration.ofSeconds(1));
        return ServiceApp.create(
                config.server(),
                metrics,
                List.of(agentHealth, discord.health()),
                List.of(),
                List.of(discord, workers::shutdownNow, timer::shutdownNow));
    }
}
