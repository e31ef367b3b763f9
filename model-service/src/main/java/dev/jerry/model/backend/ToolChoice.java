package dev.jerry.model.backend;

/**
 * Whether the model may, must or must not call a tool.
 *
 * @param tool with {@link Mode#NAMED}, the one tool to call
 */
public record ToolChoice(Mode mode, String tool) {
    public enum Mode {
        AUTO,
        REQUIRED,
        NONE,
        NAMED
    }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
}
