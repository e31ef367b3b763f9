package dev.jerry.rag;

import dev.jerry.kit.http.ServiceMain;
import dev.jerry.kit.metrics.ServiceMetrics;

public final class RagServiceMain {
    private RagServiceMain() {}

    public static void main(String[] args) {
        ServiceMain.run(RagServiceConfig.SERVICE, env -> {
            RagServiceConfig config = RagServiceConfig.fromEnv(env);
            ServiceMain.logConfig(config);
            return RagServiceApp.create(config, new ServiceMetrics(RagServiceConfig.SERVICE));
        });
    }
}
