package dev.jerry.kit.http;

import io.javalin.config.RoutesConfig;

/** A part of a service that owns its routes; the service's composition root mounts each feature once. */
@FunctionalInterface
public interface Feature {
    void routes(RoutesConfig routes);

    /** Routes of this feature that take larger bodies than the service's {@code JERRY_MAX_BODY_BYTES}; none: that. */
    default java.util.List<BodyLimit> bodyLimits() {
        return java.util.List.of();
    }

    /** Whether {@code path} is served without a bearer token (a static page that asks for the token itself). */
    default boolean isPublic(String path) {
        return false;
    }
}
