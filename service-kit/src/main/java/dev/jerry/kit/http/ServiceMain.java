package dev.jerry.kit.http;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.natives.NativeLibraries;
import io.javalin.util.JavalinBindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's {@code main} does: read the environment, build the app, start it, stop it on SIGTERM, and turn
 * a bad variable or a busy port into one clear log line and exit code 2 instead of a stack trace.
 */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    /** Builds a service from the environment; throws {@link ConfigException} for a bad variable. */
    @FunctionalInterface
    public interface Factory {
        ServiceApp create(Env env) throws Exception;
    }

    private ServiceMain() {}

    public static void run(String service, Factory factory) {
        ServiceApp app;
        try {
            Env env = Env.system();
            NativeLibraries.prepare(env, service); // before any class of a native library loads
            app = factory.create(env);
        } catch (ConfigException e) {
            log.error("{} cannot start, configuration error: {}", service, e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("{} cannot start: {}", service, e.getMessage(), e);
            System.exit(1);
            return;
        }
        try {
            app.start();
        } catch (JavalinBindException e) {
            log.error(
                    "{} cannot start: {} (choose another port with {})",
                    service,
                    e.getMessage(),
                    ServerConfig.portVariable(service));
            System.exit(2);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
                    log.info("{} service stopping", service);
                    app.stop();
                }));
    }

    /** Logs the effective configuration; {@link dev.jerry.kit.config.Secret}s print as {@code [redacted]}. */
    public static void logConfig(Record config) {
        log.info("effective configuration: {}", config);
    }
}
