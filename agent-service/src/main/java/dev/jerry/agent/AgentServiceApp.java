package dev.jerry.agent;

import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.time.Duration;
import java.util.List;

/**
 * The composition root of agent-service: everything is wired here with {@code new}. Ready needs model-service only:
 * without rag-service the agent still answers, without its knowledge-base tool.
 */
public final class AgentServiceApp {
    private AgentServiceApp() {}

    public static ServiceApp create(AgentServiceConfig config, ServiceMetrics metrics) {
        var model = new HttpHealthCheck(
                config.modelService().name(),
                config.modelService().url().resolve("/health/live"),
                Duration.ofSeconds(1));
        return ServiceApp.create(config.server(), metrics, List.of(model), List.of());
    }
}
