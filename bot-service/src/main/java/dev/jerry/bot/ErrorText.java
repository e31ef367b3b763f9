package dev.jerry.bot;

import dev.jerry.kit.client.UpstreamException;

/**
 * Failures as a Discord user (or the operator at the terminal) should read them: what failed, in one line, and whether
 * trying again may help. Never a stack trace; details are clipped, advice is not.
 */
public final class ErrorText {
    private static final int MAX_DETAIL = 300;

    /** Who reads the text: what to do about a set-up that cannot work differs between them. */
    public enum Reader {
        /** Someone on Discord, who cannot change Jerry's configuration: an admin has to. */
        DISCORD_USER,
        /** The operator at the terminal, who can: the advice as Jerry's services give it. */
        OPERATOR
    }

    private ErrorText() {}

    /** A failure to reach or use agent-service (or another service) before or while answering, for Discord. */
    public static String of(Throwable failure) {
        return of(failure, Reader.DISCORD_USER);
    }

    /** A failure to reach or use agent-service (or another service) before or while answering. */
    public static String of(Throwable failure, Reader reader) {
        if (failure instanceof UpstreamException e) {
            return switch (e) {
                case UpstreamException.Unavailable u when u.isNotConfigured() -> notConfigured(u.getMessage(), reader);
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

    /** An {@code error} event that ended the agent's stream, for Discord. */
    public static String ofEvent(String type, String message) {
        return ofEvent(type, message, Reader.DISCORD_USER);
    }

    /** An {@code error} event that ended the agent's stream. */
    public static String ofEvent(String type, String message, Reader reader) {
        return switch (type) {
            case UpstreamException.Unavailable.NOT_CONFIGURED -> notConfigured(message, reader);
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

    /** A set-up that cannot work until its configuration changes: no "try again", the advice whole. */
    private static String notConfigured(String message, Reader reader) {
        return switch (reader) {
            case DISCORD_USER ->
                "⚠️ Jerry can't answer until an admin fixes its set-up: " + clip(message)
                        + ". Trying again will not help; please tell an admin.";
            case OPERATOR -> "⚠️ Jerry can't answer: " + clip(message) + ".";
        };
    }

    /**
     * One line of at most 300 characters, without the final period (the caller ends the sentence). What gets shortened
     * is the detail: a closing parenthesis first, else whole clauses from the end, so that advice ahead of them stays
     * whole.
     */
    public static String clip(String text) {
        if (text == null) {
            return "unknown error";
        }
        String line = trimPeriods(text.replaceAll("\\s+", " ").strip());
        if (line.length() <= MAX_DETAIL) {
            return line;
        }
        int open = line.indexOf(" (");
        if (open > 0 && line.endsWith(")") && open + 12 < MAX_DETAIL) {
            // "advice (detail)": shorten the detail inside the parentheses
            return line.substring(0, MAX_DETAIL - 2) + "…)";
        }
        int boundary = Math.max(line.lastIndexOf("; ", MAX_DETAIL - 1), line.lastIndexOf(". ", MAX_DETAIL - 1));
        if (boundary > MAX_DETAIL / 2) {
            return trimPeriods(line.substring(0, boundary)) + " …";
        }
        return line.substring(0, MAX_DETAIL - 1) + "…";
    }

    private static String trimPeriods(String line) {
        String text = line;
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
