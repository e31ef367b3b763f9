package dev.jerry.bot.conversations;

/**
 * Whether {@code /jerry} opens a thread when the caller did not say ({@code thread:} left out): a channel's setting.
 * The default is never; per-channel settings plug in here.
 */
@FunctionalInterface
public interface ThreadDefault {
    ThreadDefault NEVER = (guild, channel) -> false;

    /** {@code channel} is where {@code /jerry} was used (a thread's parent for settings that threads inherit). */
    boolean opensThread(long guild, long channel);
}
