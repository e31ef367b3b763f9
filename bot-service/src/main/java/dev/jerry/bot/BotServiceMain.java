package dev.jerry.bot;

import dev.jerry.kit.http.ServiceMain;
import dev.jerry.kit.metrics.ServiceMetrics;

public final class BotServiceMain {
    private BotServiceMain() {}

    public static void main(String[] args) {
        ServiceMain.run(BotServiceConfig.SERVICE, env -> {
            BotServiceConfig config = BotServiceConfig.fromEnv(env);
            ServiceMain.logConfig(config);
            return BotServiceApp.create(config, new ServiceMetrics(BotServiceConfig.SERVICE));
        });
    }
}
