package dev.jerry.kit.client;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.net.URI;
import java.util.Optional;

/**
 * Where an upstream lives and the token this service presents to it: {@code JERRY_<X>_URL} and
 * {@code JERRY_<X>_TOKEN} (or {@code JERRY_<X>_TOKEN_FILE}).
 *
 * @param name how logs, errors and metrics call it, e.g. {@code model-service}
 */
public record UpstreamConfig(String name, URI url, Optional<Secret> token) {
    public static UpstreamConfig fromEnv(Env env, String prefix, String name, URI defaultUrl) {
        return new UpstreamConfig(
                name, env.url("JERRY_" + prefix + "_URL").orElse(defaultUrl), env.secret("JERRY_" + prefix + "_TOKEN"));
    }

    public ServiceClient client(ClientOptions options, ServiceMetrics metrics) {
        return new ServiceClient(name, url, token, options, metrics);
    }
}
