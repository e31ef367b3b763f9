package dev.jerry.agent;

import dev.jerry.agent.attach.AttachmentRoutes;
import dev.jerry.agent.attach.Attachments;
import dev.jerry.agent.attach.ScratchSweeper;
import dev.jerry.agent.chat.Agent;
import dev.jerry.agent.chat.AgentTool;
import dev.jerry.agent.chat.ChatRoutes;
import dev.jerry.agent.chat.Persona;
import dev.jerry.agent.feedback.FeedbackRoutes;
import dev.jerry.agent.feedback.FeedbackStore;
import dev.jerry.agent.limits.LimitRoutes;
import dev.jerry.agent.limits.LimitStore;
import dev.jerry.agent.memory.ConversationRoutes;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.openai.OpenAiRoutes;
import dev.jerry.agent.settings.ModelCheck;
import dev.jerry.agent.settings.SettingsRoutes;
import dev.jerry.agent.settings.SettingsStore;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The composition root of agent-service: everything is wired here with {@code new}. Ready needs model-service only
 * (answering, and accepting agent-service's token): without rag-service the agent still answers, without its
 * knowledge-base tool.
 */
public final class AgentServiceApp {
    private AgentServiceApp() {}

    public static ServiceApp create(AgentServiceConfig config, ServiceMetrics metrics) {
        return create(config, metrics, memory(config.database()));
    }

    /** Opens (and migrates) the conversation database; a SQLite file's folder is created if needed. */
    static MemoryStore memory(AgentServiceConfig.Database database) {
        if (database.url().startsWith("jdbc:sqlite:")) {
            try {
                Path file = Path.of(database.url().substring("jdbc:sqlite:".length()))
                        .toAbsolutePath();
                Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw new ConfigException(
                        "JERRY_DATABASE_URL", "cannot create the folder of " + database.url() + ": " + e.getMessage());
            }
        }
        return new MemoryStore(
                        database.url(),
                        database.user(),
                        database.password().map(Secret::value).orElse(""))
                .migrate();
    }

    public static ServiceApp create(AgentServiceConfig config, ServiceMetrics metrics, MemoryStore memory) {
        var database = HealthCheck.of("database", Duration.ofSeconds(1), () -> {
            memory.ping();
            return HealthCheck.Result.up();
        });
        ServiceClient modelService = config.modelService()
                .client(
                        ClientOptions.defaults()
                                .withReadTimeout(Duration.ofSeconds(2))
                                .withMaxAttempts(1),
                        metrics);
        var rag = config.ragService()
                .client(
                        ClientOptions.defaults()
                                .withReadTimeout(AgentTool.RAG_SEARCH.timeout())
                                .withMaxAttempts(1),
                        metrics);
        var attachments = Attachments.create(config.attachments(), modelService, config.model(), metrics);
        var agent = Agent.create(
                config.modelService().url(),
                config.modelService().token().map(Secret::value),
                config.model(),
                config.turnTimeout(),
                modelService,
                rag,
                config.searxngUrl()
                        .map(url -> new ServiceClient(
                                "searxng",
                                url,
                                Optional.empty(),
                                ClientOptions.defaults()
                                        .withReadTimeout(AgentTool.WEB_SEARCH.timeout())
                                        .withMaxAttempts(1),
                                metrics)),
                memory,
                Persona.load(config.personasFile()),
                config.historyTokens(),
                attachments);
        return ServiceApp.create(
                config.server(),
                metrics,
                List.of(modelReady(config, modelService), database),
                List.of(
                        new ConversationRoutes(memory, attachments::forgetForRoute),
                        new ChatRoutes(agent),
                        new OpenAiRoutes(agent),
                        new SettingsRoutes(
                                new SettingsStore(memory),
                                new ModelCheck(modelService),
                                () -> agent.personas().stream()
                                        .map(Persona::name)
                                        .toList(),
                                config.model()),
                        new FeedbackRoutes(new FeedbackStore(memory), metrics),
                        new LimitRoutes(new LimitStore(memory)),
                        new AttachmentRoutes(attachments)),
                List.of(memory, ScratchSweeper.start(attachments)));
    }

    /**
     * model-service answers an authenticated request: a token it rejects makes agent-service not ready (every turn
     * would fail), while any other answer, even a 404 from an older model-service, proves it up and the token good.
     */
    private static HealthCheck modelReady(AgentServiceConfig config, ServiceClient modelService) {
        String url = config.modelService().url().toString();
        return HealthCheck.of(config.modelService().name(), Duration.ofSeconds(2), () -> {
            try {
                modelService.get("/api/version", Map.class);
            } catch (UpstreamException.BadResponse e) {
                if (e.upstreamStatus() == 401 || e.upstreamStatus() == 403) {
                    return HealthCheck.Result.down("rejects agent-service's token at " + url
                            + "; set JERRY_MODEL_SERVICE_TOKEN to a token in model-service's JERRY_AUTH_TOKENS");
                }
            } catch (UpstreamException.Unavailable e) {
                return HealthCheck.Result.down("unreachable at " + url + " (" + e.getMessage() + ")");
            }
            return HealthCheck.Result.up(Map.of("url", url));
        });
    }
}
