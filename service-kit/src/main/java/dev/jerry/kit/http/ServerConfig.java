package dev.jerry.kit.http;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * How a service listens: read from {@code JERRY_<SERVICE>_PORT}, {@code JERRY_BIND_ADDRESS},
 * {@code JERRY_MAX_BODY_BYTES} and the auth variables.
 *
 * @param service short service name used in metric names and logs, e.g. {@code model}
 * @param host address to bind; loopback by default
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes largest accepted request body
 */
public record ServerConfig(String service, String host, int port, long maxBodyBytes, AuthConfig auth) {
    public static final String BIND_ADDRESS = "JERRY_BIND_ADDRESS";
    public static final String MAX_BODY_BYTES = "JERRY_MAX_BODY_BYTES";
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public ServerConfig {
        if (!service.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("service name must be lower-case letters, digits and '_': " + service);
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(portVariable(service), "must be between 0 and 65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new ConfigException(MAX_BODY_BYTES, "must be at least 1024, got " + maxBodyBytes);
        }
        if (!auth.enabled() && !isLoopback(host)) {
            throw new ConfigException(
                    AuthConfig.TOKENS,
                    "must be set when the service listens on " + host + " (" + BIND_ADDRESS
                            + "), a non-loopback address; without tokens anyone on the network could call it");
        }
    }

    public static ServerConfig fromEnv(Env env, String service, int defaultPort) {
        return new ServerConfig(
                service,
                env.string(BIND_ADDRESS, "127.0.0.1"),
                env.integer(portVariable(service), defaultPort, 0, 65535),
                env.longValue(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1024, Integer.MAX_VALUE),
                AuthConfig.fromEnv(env));
    }

    /** A loopback server on a random port with the given auth: what tests use. */
    public static ServerConfig forTests(String service, AuthConfig auth) {
        return new ServerConfig(service, "127.0.0.1", 0, DEFAULT_MAX_BODY_BYTES, auth);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(service, host, port, bytes, auth);
    }

    public static String portVariable(String service) {
        return "JERRY_" + service.toUpperCase(Locale.ROOT) + "_PORT";
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(BIND_ADDRESS, "cannot resolve '" + host + "'");
        }
    }
}
