package dev.jerry.agent;

import dev.jerry.kit.http.ServiceMain;
import dev.jerry.kit.metrics.ServiceMetrics;

public final class AgentServiceMain {
    private AgentServiceMain() {}

    public static void main(String[] args) {
        ServiceMain.run(AgentServiceConfig.SERVICE, env -> {
            AgentServiceConfig config = AgentServiceConfig.fromEnv(env);
            ServiceMain.logConfig(config);
            return AgentServiceApp.create(config, new ServiceMetrics(AgentServiceConfig.SERVICE));
        });
    }
}
