package dev.jerry.ollama;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Ollama model name: {@code [host/][namespace/]model[:tag]}. A name without a tag means {@code :latest}, so
 * {@code qwen2.5} and {@code qwen2.5:latest} are the same model; the tag is what follows the last colon after the last
 * slash (a registry port is not a tag).
 */
public record ModelName(String base, String tag) {
    public static final String LATEST = "latest";
    /** Longest name accepted, registry and tag included. */
    public static final int MAX_LENGTH = 256;

    private static final String PART = "[A-Za-z0-9][A-Za-z0-9_.-]*";
    private static final Pattern VALID = Pattern.compile(
            "(" + PART + "(:[0-9]{1,5})?/)?(" + PART + "/)*" + PART + "(:[A-Za-z0-9][A-Za-z0-9_.-]{0,127})?");

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

    /**
     * What is wrong with {@code name} as a model name a registry could hold ({@code [host[:port]/][namespace/]model[:tag]},
     * each part letters, digits, {@code _ . -}), or empty when it is well formed. Checked before any node is asked.
     */
    public static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("a model name is required");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("a model name has at most " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid model name: expected [host/][namespace/]model[:tag], each"
                    + " part of letters, digits, '_', '.' or '-'");
        }
        return Optional.empty();
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
