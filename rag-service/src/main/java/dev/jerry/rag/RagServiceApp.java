package dev.jerry.rag;

import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.time.Duration;
import java.util.List;

/** The composition root of rag-service: everything is wired here with {@code new}. */
public final class RagServiceApp {
    private RagServiceApp() {}

    public static ServiceApp create(RagServiceConfig config, ServiceMetrics metrics) {
        var chroma =
                new HttpHealthCheck("chroma", config.chromaUrl().resolve("/api/v2/heartbeat"), Duration.ofSeconds(1));
        return ServiceApp.create(config.server(), metrics, List.of(chroma), List.of());
    }
}
