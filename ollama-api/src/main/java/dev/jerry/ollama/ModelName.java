package dev.jerry.ollama;

import java.util.Objects;

/**
 * An Ollama model name: {@code [host/][namespace/]model[:tag]}. A name without a tag means {@code :latest}, so
 * {@code qwen2.5} and {@code qwen2.5:latest} are the same model; the tag is what follows the last colon after the last
 * slash (a registry port is not a tag).
 */
public record ModelName(String base, String tag) {
    public static final String LATEST = "latest";

    public ModelName {
        Objects.requireNonNull(base, "a model name is required");
        if (base.isBlank()) {
            throw new IllegalArgumentException("a model name must not be blank");
        }
        tag = tag == null || tag.isBlank() ? LATEST : tag;
    }

    public static ModelName of(String name) {
        Objects.requireNonNull(name, "a model name is required");
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash
                ? new ModelName(name.substring(0, colon), name.substring(colon + 1))
                : new ModelName(name, null);
    }

    /** The full name, always with a tag: what Ollama lists. */
    public String tagged() {
        return base + ":" + tag;
    }

    /** The short name: without the tag when it is {@code latest}. */
    public String display() {
        return tag.equals(LATEST) ? base : tagged();
    }

    /** Whether {@code other} names the same model. */
    public boolean matches(String other) {
        return other != null && !other.isBlank() && of(other).equals(this);
    }

    /** {@code model} with {@code :latest} when it has no tag. */
    public static String tagged(String model) {
        return of(model).tagged();
    }

    /** {@code model} without {@code :latest}. */
    public static String display(String model) {
        return of(model).display();
    }

    @Override
    public String toString() {
        return tagged();
    }
}
