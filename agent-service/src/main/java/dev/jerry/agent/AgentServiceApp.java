package dev.jerry.agent;

import dev.jerry.agent.memory.ConversationRoutes;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The composition root of agent-service: everything is wired here with {@code new}. Ready needs model-service only:
 * without rag-service the agent still answers, without its knowledge-base tool.
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
        var model = new HttpHealthCheck(
                config.modelService().name(),
                config.modelService().url().resolve("/health/live"),
                Duration.ofSeconds(1));
        return ServiceApp.create(
                config.server(), metrics, List.of(model, database), List.of(new ConversationRoutes(memory)));
    }
}
