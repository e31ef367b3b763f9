package dev.jerry.model.llamaserver;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.model.queue.QueueConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a local GGUF file is run.
 *
 * @param engine {@code JERRY_LLAMA_ENGINE}: {@code server} (upstream llama-server as a child process, the default) or
 *     {@code jni} (the older in-process binding, kept as a fallback)
 * @param binary {@code JERRY_LLAMA_SERVER}: a llama-server binary to use instead of looking on the PATH or building one
 * @param dataDir {@code JERRY_DATA_DIR}: where the built binary, the children's working directories and logs live
 * @param slots {@code JERRY_QUEUE_CONCURRENCY}: the child's parallel slots, one per generation the queue lets run
 * @param searchPath {@code PATH}: where {@code llama-server} is looked for when {@code JERRY_LLAMA_SERVER} is not set
 */
public record LlamaServerConfig(Engine engine, Optional<Path> binary, Path dataDir, int slots, String searchPath) {
    public static final String ENGINE = "JERRY_LLAMA_ENGINE";
    public static final String BINARY = "JERRY_LLAMA_SERVER";

    public enum Engine {
        SERVER,
        JNI
    }

    public LlamaServerConfig {
        if (binary.isPresent() && !Files.isExecutable(binary.get())) {
            throw new ConfigException(BINARY, "is not an executable file: " + binary.get());
        }
        if (slots < 1) {
            throw new ConfigException("JERRY_QUEUE_CONCURRENCY", "must be at least 1");
        }
    }

    public static LlamaServerConfig read(Env env) {
        return new LlamaServerConfig(
                env.enumValue(ENGINE, Engine.class, Engine.SERVER),
                env.get(BINARY).map(Path::of),
                Path.of(env.string("JERRY_DATA_DIR", defaultDataDir().toString())),
                QueueConfig.fromEnv(env).concurrency(),
                env.string("PATH", ""));
    }

    /** llama-server from the PATH or Jerry's build under the default data directory. */
    public static LlamaServerConfig defaults(int slots) {
        return new LlamaServerConfig(
                Engine.SERVER,
                Optional.empty(),
                defaultDataDir(),
                slots,
                System.getenv().getOrDefault("PATH", ""));
    }

    /** {@code ~/.local/share/jerry}, as agent-service. */
    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".local", "share", "jerry");
    }
}
