package dev.jerry.kit.config;

import java.util.Objects;

/** A secret value. Its {@code toString} is redacted so that logging a config record never leaks it. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "[redacted]";
    }
}
