package dev.jerry.bot.conversations;

import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;

/**
 * Whether {@code /jerry} opens a thread when the caller did not say ({@code thread:} left out): a channel's setting
 * ({@code /jerry-config thread_default}, read through {@code PlaceSettings#threadByDefault}).
 */
@FunctionalInterface
public interface ThreadDefault {
    ThreadDefault NEVER = channel -> false;

    /** {@code channel} is where {@code /jerry} was used (its category's settings count too). */
    boolean opensThread(GuildChannel channel);
}
