package dev.jerry.bot;

import dev.jerry.kit.client.UpstreamException;

/**
 * Failures as a Discord user should read them: what failed, in one line, and whether trying again may help. Never a
 * stack trace; details are clipped.
 */
public final class ErrorText {
    private static final int MAX_DETAIL = 300;

    private ErrorText() {}

    /** A failure to reach or use agent-service (or another service) before or while answering. */
    public static String of(Throwable failure) {
        if (failure instanceof UpstreamException e) {
            return switch (e) {
                case UpstreamException.Busy busy ->
                    "⚠️ Jerry is busy right now (" + busy.upstream() + "). Please try again in "
                            + Math.max(1, busy.retryAfter().orElseThrow().toSeconds()) + " s.";
                case UpstreamException.Timeout t ->
                    "⚠️ The answer took too long (" + clip(t.getMessage())
                            + "). Please try again; a shorter question is faster.";
                case UpstreamException.Unavailable u ->
                    "⚠️ I can't answer right now: " + clip(u.getMessage())
                            + ". This is usually temporary, please try again in a minute.";
                case UpstreamException.BadResponse bad
                when bad.upstreamStatus() == 401 || bad.upstreamStatus() == 403 ->
                    "⚠️ Jerry is misconfigured: " + bad.upstream()
                            + " refused the bot's token. Trying again will not help; please tell an admin.";
                case UpstreamException.BadResponse bad
                when bad.upstreamStatus() >= 400 && bad.upstreamStatus() < 500 ->
                    "⚠️ That request could not be answered: " + clip(bad.getMessage()) + ".";
                case UpstreamException.BadResponse bad ->
                    "⚠️ Something went wrong while answering: " + clip(bad.getMessage())
                            + ". Please try again; if it keeps happening, tell an admin.";
            };
        }
        // the class name helps nobody on Discord: the log has the details
        return "⚠️ Something went wrong in Jerry's bot. Please try again; if it keeps happening, tell an admin "
                + "(the bot's log has the details).";
    }

    /** An {@code error} event that ended the agent's stream. */
    public static String ofEvent(String type, String message) {
        return switch (type) {
            case "upstream_timeout" ->
                "⚠️ The answer took too long (" + clip(message) + "). Please try again; a shorter question is faster.";
            case "upstream_unavailable", "upstream_busy", "not_ready" ->
                "⚠️ I couldn't finish the answer: " + clip(message) + ". Please try again in a minute.";
            case "bad_request" -> "⚠️ That request could not be answered: " + clip(message) + ".";
            default ->
                "⚠️ Something went wrong while answering: " + clip(message)
                        + ". Please try again; if it keeps happening, tell an admin.";
        };
    }

    /** One line of at most 300 characters, without the final period (the caller ends the sentence). */
    public static String clip(String text) {
        if (text == null) {
            return "unknown error";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        while (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 1) + "…";
    }
}
