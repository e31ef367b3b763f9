package dev.jerry.kit.config;

/** A configuration value that cannot be used; the message starts with the variable's name. */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String reason) {
        super(variable + ": " + reason);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
