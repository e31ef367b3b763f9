package dev.jerry.kit.http;

import java.util.Set;

/**
 * A body limit of some routes other than the service's {@code JERRY_MAX_BODY_BYTES}: a request to one of {@code paths}
 * (exact paths) may be up to {@code bytes}; over it, the 413 names {@code variable}.
 */
public record BodyLimit(Set<String> paths, long bytes, String variable) {
    public BodyLimit {
        paths = Set.copyOf(paths);
    }
}
