package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
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

    long receivedNanos() {
        return receivedNanos;
    }
}
