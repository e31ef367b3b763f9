package dev.jerry.kit.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to {@code JERRY_*} environment variables. A blank value counts as unset. Every parse failure is a
 * {@link ConfigException} naming the variable, the value and what was expected.
 */
public final class Env {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Map<String, String> vars;

    private Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    public Optional<String> get(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        return (int) longValue(name, fallback, min, max);
    }

    public long longValue(String name, long fallback, long min, long max) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number, got '" + raw.get() + "'");
        }
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + raw.get() + "'");
        };
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}; a bare number means seconds. */
    public Duration duration(String name, Duration fallback) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a duration such as 500ms, 30s, 5m or 1h, got '" + raw.get() + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** An absolute http(s) URL, with any trailing slash removed. */
    public Optional<URI> url(String name) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String text = raw.get().endsWith("/") ? raw.get().substring(0, raw.get().length() - 1) : raw.get();
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, "must be an http:// or https:// URL, got '" + raw.get() + "'");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException(name, "is not a valid URL: " + e.getMessage());
        }
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.get().replace('-', '_'))) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new ConfigException(name, "must be one of " + allowed + ", got '" + raw.get() + "'");
    }

    /**
     * A secret from {@code NAME}, or from the file named by {@code NAME_FILE} (podman/docker secrets). Setting both
     * is an error, as is an unreadable or empty file. Trailing newlines of the file are dropped.
     */
    public Optional<Secret> secret(String name) {
        Optional<String> inline = get(name);
        Optional<String> file = get(name + "_FILE");
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(name, "set either " + name + " or " + name + "_FILE, not both");
        }
        if (inline.isPresent()) {
            return Optional.of(new Secret(inline.get()));
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(file.get());
        try {
            String content = Files.readString(path).strip();
            if (content.isEmpty()) {
                throw new ConfigException(name + "_FILE", "file " + path + " is empty");
            }
            return Optional.of(new Secret(content));
        } catch (IOException e) {
            throw new ConfigException(name + "_FILE", "cannot read " + path + ": " + e);
        }
    }
}
