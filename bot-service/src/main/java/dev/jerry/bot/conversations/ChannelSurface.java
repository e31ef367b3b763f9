package dev.jerry.bot.conversations;

import dev.jerry.bot.AnswerStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;

/**
 * An answer as messages in a channel, created then edited. The first replies to the question (when there is one to
 * reply to); each further part replies to the part before it, so a reply to any part continues the same chain.
 */
final class ChannelSurface implements AnswerStream.Surface {
    private final MessageChannel channel;
    private final long replyTo;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    /** {@code replyTo}: the question's message id, or 0 to post the answer plainly (in a thread). */
    ChannelSurface(MessageChannel channel, long replyTo) {
        this.channel = channel;
        this.replyTo = replyTo;
    }

    @Override
    public CompletableFuture<?> write(int index, String content) {
        if (index < ids.size()) {
            return channel.editMessageById(ids.get(index), content).submit();
        }
        long parent = index == 0 ? replyTo : ids.get(index - 1);
        MessageCreateAction create = channel.sendMessage(content);
        if (parent != 0) {
            // the asker is notified once, by the first part; a deleted question must not lose the answer
            create = create.setMessageReference(parent)
                    .mentionRepliedUser(index == 0)
                    .failOnInvalidReply(false);
        }
        return create.submit().thenAccept(m -> ids.add(m.getIdLong()));
    }
}
