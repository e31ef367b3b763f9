package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.RestAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The acknowledgement of one interaction (a reply or a defer), timed from its arrival; a failure is counted. */
public final class Ack {
    private static final Logger log = LoggerFactory.getLogger(Ack.class);

    private final BotMetrics metrics;
    private final long receivedNanos;

    public Ack(BotMetrics metrics, long receivedNanos) {
        this.metrics = metrics;
        this.receivedNanos = receivedNanos;
    }

    /** Sends the acknowledgement. */
    public void send(RestAction<?> acknowledgement) {
        acknowledgement.submit().whenComplete((ok, error) -> {
            if (error != null) {
                metrics.error("ack_failed");
                log.warn("could not acknowledge an interaction: {}", error.getMessage());
            } else {
                metrics.acked(receivedNanos);
            }
        });
    }

    /**
     * Defers a reply only the caller sees, then edits it on a worker into the text {@code answer} computes (the shape
     * of every command whose work is one slow call).
     */
    public void deferPrivately(SlashCommandInteractionEvent event, ExecutorService workers, Supplier<String> answer) {
        send(event.deferReply(true));
        InteractionHook hook = event.getHook();
        workers.submit(() -> hook.editOriginal(answer.get()).queue());
    }

    long receivedNanos() {
        return receivedNanos;
    }
}
