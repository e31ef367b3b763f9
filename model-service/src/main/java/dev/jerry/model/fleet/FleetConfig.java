package dev.jerry.model.fleet;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the fleet of Ollama nodes is kept.
 *
 * @param stateFile where nodes registered through the API are kept ({@code $JERRY_DATA_DIR/model-service/nodes.json})
 * @param checkInterval {@code JERRY_FLEET_CHECK_INTERVAL}: how often each online node is asked for its models; also the
 *     first wait before an offline node is tried again
 * @param maxBackoff {@code JERRY_FLEET_RETRY_MAX}: the longest wait between two tries of an offline node (the wait
 *     doubles from the check interval up to this)
 * @param sticky {@code JERRY_FLEET_STICKY}: a user's next request goes to the node that answered the last one (its
 *     prompt cache is warm) unless that node is a full round of slots busier than the least loaded one
 */
public record FleetConfig(Path stateFile, Duration checkInterval, Duration maxBackoff, boolean sticky) {
    public static final String CHECK_INTERVAL = "JERRY_FLEET_CHECK_INTERVAL";
    public static final String RETRY_MAX = "JERRY_FLEET_RETRY_MAX";

    public FleetConfig {
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new ConfigException(CHECK_INTERVAL, "must be positive");
        }
        if (maxBackoff.compareTo(checkInterval) < 0) {
            throw new ConfigException(RETRY_MAX, "must be at least " + CHECK_INTERVAL);
        }
    }

    /** Registered nodes are kept under {@code dataDir/model-service/}. */
    public static FleetConfig defaults(Path dataDir) {
        return new FleetConfig(stateFile(dataDir), Duration.ofSeconds(10), Duration.ofMinutes(5), true);
    }

    public static FleetConfig fromEnv(Env env, Path dataDir) {
        return new FleetConfig(
                stateFile(dataDir),
                env.duration(CHECK_INTERVAL, Duration.ofSeconds(10)),
                env.duration(RETRY_MAX, Duration.ofMinutes(5)),
                env.bool("JERRY_FLEET_STICKY", true));
    }

    private static Path stateFile(Path dataDir) {
        return dataDir.resolve("model-service").resolve("nodes.json");
    }

    /** The defaults under the default data directory. */
    public static FleetConfig defaults() {
        return defaults(LlamaServerConfig.defaultDataDir());
    }
}
