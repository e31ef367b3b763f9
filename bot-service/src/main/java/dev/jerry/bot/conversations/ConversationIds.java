package dev.jerry.bot.conversations;

/**
 * The conversation ids of Discord's shared shapes, as agent-service accepts them (docs/api.md): anyone who can write
 * in the channel continues them.
 */
public final class ConversationIds {
    private ConversationIds() {}

    /** A reply chain, named by the message at its root (the first message that mentioned Jerry). */
    public static String chain(long guild, long channel, long root) {
        return "guild:" + guild + ":channel:" + channel + ":chain:" + root;
    }

    /** A thread Jerry opened in {@code parent}. */
    public static String thread(long guild, long parent, long thread) {
        return "guild:" + guild + ":channel:" + parent + ":thread:" + thread;
    }
}
