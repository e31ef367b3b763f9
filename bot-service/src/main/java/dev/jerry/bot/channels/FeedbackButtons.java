package dev.jerry.bot.channels;

import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ErrorText;
import dev.jerry.kit.client.UpstreamException;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;

/**
 * 👍/👎 under each final answer: a click is stored with the answer's turn at agent-service (who, when, and the
 * turn's model, cache hit and sources) and counted in {@code jerry_bot_feedback_total{rating}}; the clicker gets a
 * short thanks only they see. The button's custom id carries the turn id, so any bot process can take the click.
 */
public final class FeedbackButtons extends ListenerAdapter {
    static final String PREFIX = "jerry-feedback:";

    private final AgentState state;
    private final BotMetrics metrics;
    private final ExecutorService workers;

    public FeedbackButtons(AgentState state, BotMetrics metrics, ExecutorService workers) {
        this.state = state;
        this.metrics = metrics;
        this.workers = workers;
    }

    /** The row of buttons under the answer of turn {@code turnId}. */
    public static ActionRow row(String turnId) {
        return ActionRow.of(
                Button.secondary(PREFIX + "up:" + turnId, Emoji.fromUnicode("👍")),
                Button.secondary(PREFIX + "down:" + turnId, Emoji.fromUnicode("👎")));
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        String id = event.getComponentId();
        if (!id.startsWith(PREFIX)) {
            return;
        }
        String[] parts = id.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2 || !(parts[0].equals("up") || parts[0].equals("down"))) {
            event.reply("That button is not one of Jerry's.").setEphemeral(true).queue();
            return;
        }
        String rating = parts[0];
        long user = event.getUser().getIdLong();
        metrics.interaction("feedback");
        event.deferReply(true).queue();
        var hook = event.getHook();
        workers.submit(() -> {
            String text;
            try {
                state.rate(parts[1], user, rating);
                metrics.feedback(rating);
                text = rating.equals("up")
                        ? "Thanks! Glad it helped."
                        : "Thanks for telling me. The operators will look at this answer.";
            } catch (UpstreamException e) {
                metrics.error(e.errorType());
                text = ErrorText.of(e);
            }
            hook.editOriginal(text).queue();
        });
    }
}
