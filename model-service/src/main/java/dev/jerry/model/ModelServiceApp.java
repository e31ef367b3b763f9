package dev.jerry.model;

import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.util.List;

/** The composition root of model-service: everything is wired here with {@code new}. */
public final class ModelServiceApp {
    private ModelServiceApp() {}

    public static ServiceApp create(ModelServiceConfig config, ServiceMetrics metrics) {
        return ServiceApp.create(config.server(), metrics, List.of(), List.of());
    }
}
