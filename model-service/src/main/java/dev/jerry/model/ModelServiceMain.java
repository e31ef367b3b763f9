package dev.jerry.model;

import dev.jerry.kit.http.ServiceMain;
import dev.jerry.kit.metrics.ServiceMetrics;

public final class ModelServiceMain {
    private ModelServiceMain() {}

    public static void main(String[] args) {
        ServiceMain.run(ModelServiceConfig.SERVICE, env -> {
            ModelServiceConfig config = ModelServiceConfig.fromEnv(env);
            ServiceMain.logConfig(config);
            return ModelServiceApp.create(config, new ServiceMetrics(ModelServiceConfig.SERVICE));
        });
    }
}
