package dev.jerry.bot.commands;

import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.channels.FeedbackButtons;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.interactions.InteractionHook;

/** An interaction's original response (message 0, after the defer) and its follow-ups. */
final class InteractionSurface implements AnswerStream.Surface {
    private final InteractionHook hook;
    private final boolean ephemeral;
    private final List<Long> followUps = new CopyOnWriteArrayList<>();

    InteractionSurface(InteractionHook hook, boolean ephemeral) {
        this.hook = hook;
        this.ephemeral = ephemeral;
    }

    @Override
    public CompletableFuture<?> write(int index, String content) {
        if (index == 0) {
            return hook.editOriginal(content).submit();
        }
        if (index - 1 < followUps.size()) {
            return hook.editMessageById(followUps.get(index - 1), content).submit();
        }
        return hook.sendMessage(content).setEphemeral(ephemeral).submit().thenAccept(m -> followUps.add(m.getIdLong()));
    }

    @Override
    public CompletableFuture<?> writeFinal(int index, String content, String turnId) {
        var buttons = FeedbackButtons.row(turnId);
        if (index == 0) {
            return hook.editOriginal(content).setComponents(buttons).submit();
        }
        if (index - 1 < followUps.size()) {
            return hook.editMessageById(followUps.get(index - 1), content)
                    .setComponents(buttons)
                    .submit();
        }
        return hook.sendMessage(content)
                .setEphemeral(ephemeral)
                .setComponents(buttons)
                .submit()
                .thenAccept(m -> followUps.add(m.getIdLong()));
    }
}
