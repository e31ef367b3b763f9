package dev.jerry.bot.conversations;

import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.channels.FeedbackButtons;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;

/**
 * An answer as messages in a channel (a DM too), created then edited. The first replies to the question (when there is one to
 * reply to); each further part replies to the part before it, so a reply to any part continues the same chain.
 */
public final class ChannelSurface implements AnswerStream.Surface {
    private final MessageChannel channel;
    private final long replyTo;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    /** {@code replyTo}: the question's message id, or 0 to post the answer plainly (in a thread, in a DM). */
    public ChannelSurface(MessageChannel channel, long replyTo) {
        this.channel = channel;
        this.replyTo = replyTo;
    }

    @Override
    public CompletableFuture<?> write(int index, String content) {
        return write(index, content, null);
    }

    /** The last message of a final answer carries the 👍/👎 buttons of its turn, as answers to {@code /jerry} do. */
    @Override
    public CompletableFuture<?> writeFinal(int index, String content, String turnId) {
        return write(index, content, FeedbackButtons.row(turnId));
    }

    private CompletableFuture<?> write(int index, String content, ActionRow buttons) {
        if (index < ids.size()) {
            var edit = channel.editMessageById(ids.get(index), content);
            return (buttons == null ? edit : edit.setComponents(buttons)).submit();
        }
        long parent = index == 0 ? replyTo : ids.get(index - 1);
        MessageCreateAction create = channel.sendMessage(content);
        if (buttons != null) {
            create = create.setComponents(buttons);
        }
        if (parent != 0) {
            // the asker is notified once, by the first part; a deleted question must not lose the answer
            create = create.setMessageReference(parent)
                    .mentionRepliedUser(index == 0)
                    .failOnInvalidReply(false);
        }
        return create.submit().thenAccept(m -> ids.add(m.getIdLong()));
    }
}
