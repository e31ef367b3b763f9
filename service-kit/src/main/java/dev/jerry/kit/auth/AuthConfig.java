package dev.jerry.kit.auth;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may call a service: named callers, each with its own bearer token, so one caller can be revoked by removing its
 * line without touching the others.
 *
 * @param callers caller name to token; empty means authentication is off
 * @param protectOps whether {@code /health/ready} and {@code /metrics} also require a token ({@code /health/live}
 *     never does)
 */
public record AuthConfig(Map<String, Secret> callers, boolean protectOps) {
    public static final String TOKENS = "JERRY_AUTH_TOKENS";
    public static final String PROTECT_OPS = "JERRY_AUTH_PROTECT_OPS";
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final Pattern CALLER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public AuthConfig {
        callers = Map.copyOf(callers);
        if (protectOps && callers.isEmpty()) {
            throw new ConfigException(PROTECT_OPS, "protects nothing while " + TOKENS + " is not set");
        }
    }

    public static AuthConfig open() {
        return new AuthConfig(Map.of(), false);
    }

    public boolean enabled() {
        return !callers.isEmpty();
    }

    public static AuthConfig fromEnv(Env env) {
        Optional<Secret> tokens = env.secret(TOKENS);
        Map<String, Secret> callers = tokens.map(s -> parse(s.value())).orElse(Map.of());
        return new AuthConfig(callers, env.bool(PROTECT_OPS, false));
    }

    /**
     * Parses {@code name:token} pairs separated by commas or new lines; blank lines and lines starting with
     * {@code #} are ignored. Error messages never contain a token.
     */
    static Map<String, Secret> parse(String text) {
        Map<String, Secret> callers = new LinkedHashMap<>();
        int position = 0;
        for (String entry : text.split("[,\\n]")) {
            String line = entry.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            position++;
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new ConfigException(TOKENS, "entry " + position + " must look like name:token");
            }
            String name = line.substring(0, colon).strip();
            String token = line.substring(colon + 1).strip();
            if (!CALLER_NAME.matcher(name).matches()) {
                throw new ConfigException(
                        TOKENS, "entry " + position + ": caller name must be letters, digits, '.', '_' or '-'");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new ConfigException(
                        TOKENS,
                        "the token of caller '" + name + "' is shorter than " + MIN_TOKEN_LENGTH
                                + " characters (generate one with: openssl rand -hex 32)");
            }
            if (callers.containsKey(name)) {
                throw new ConfigException(TOKENS, "caller '" + name + "' is listed twice");
            }
            for (Map.Entry<String, Secret> other : callers.entrySet()) {
                if (other.getValue().value().equals(token)) {
                    throw new ConfigException(
                            TOKENS, "callers '" + other.getKey() + "' and '" + name + "' share a token");
                }
            }
            callers.put(name, new Secret(token));
        }
        return callers;
    }
}
