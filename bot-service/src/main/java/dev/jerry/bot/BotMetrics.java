package dev.jerry.bot;

import dev.jerry.kit.metrics.ServiceMetrics;
import java.time.Duration;

/**
 * bot-service's meters: {@code jerry_bot_interactions_total{command}}, {@code jerry_bot_ack_seconds},
 * {@code jerry_bot_first_token_seconds} (until the first answer text is visible), {@code jerry_bot_answer_seconds},
 * {@code jerry_bot_errors_total{type}}, {@code jerry_bot_refused_total{reason}} (rate limit, quota, allowlists) and
 * {@code jerry_bot_feedback_total{rating}}.
 */
public final class BotMetrics {
    private final ServiceMetrics metrics;

    public BotMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    public void interaction(String command) {
        metrics.counter("interactions", "Slash commands and DMs received, by command", "command", command)
                .increment();
    }

    public void acked(long receivedNanos) {
        metrics.timer("ack", "Time from receiving an interaction to Discord confirming its acknowledgement")
                .record(since(receivedNanos));
    }

    public void error(String type) {
        metrics.counter("errors", "Answers that ended in an error shown to the user, by type", "type", type)
                .increment();
    }

    public void refused(String reason) {
        metrics.counter(
                        "refused",
                        "Requests refused by the rate limit (rate), the daily quota (quota), the allowlists or admin checks",
                        "reason",
                        reason)
                .increment();
    }

    /** A 👍 or 👎 under an answer, stored at agent-service. */
    public void feedback(String rating) {
        metrics.counter("feedback", "Ratings of answers given with the buttons under them", "rating", rating)
                .increment();
    }

    /** Observes one answer from the moment its request arrived. */
    public AnswerStream.Observer answer(long receivedNanos) {
        return new AnswerStream.Observer() {
            @Override
            public void firstTokenVisible() {
                metrics.timer("first.token", "Time from the request until the first answer text is visible on Discord")
                        .record(since(receivedNanos));
            }

            @Override
            public void finished() {
                metrics.timer("answer", "Time from the request until the whole answer is on Discord")
                        .record(since(receivedNanos));
            }
        };
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
