package dev.jerry.bot.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.channels.AgentState;
import dev.jerry.kit.client.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.utils.FileUpload;

/**
 * {@code /jerry-admin feedback}: the counts, the newest ratings with their question, model and whether the cache
 * answered, and every rating as a JSONL attachment (agent-service's {@code GET /v1/feedback?format=jsonl}).
 */
public final class FeedbackReport {
    static final int SHOWN = 10;
    static final int EXPORTED = 10_000;

    private final AgentState state;
    private final BotMetrics metrics;

    public FeedbackReport(AgentState state, BotMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    void show(Optional<String> rating, InteractionHook hook) {
        try {
            JsonNode found = state.feedback(rating, SHOWN);
            String jsonl = state.feedbackJsonl(rating, EXPORTED);
            hook.editOriginal(text(found))
                    .setFiles(FileUpload.fromData(jsonl.getBytes(StandardCharsets.UTF_8), "feedback.jsonl"))
                    .queue();
        } catch (UpstreamException e) {
            metrics.error(e.errorType());
            hook.editOriginal(ErrorText.of(e)).queue();
        }
    }

    static String text(JsonNode found) {
        StringBuilder text = new StringBuilder("**Feedback**: 👍 ")
                .append(found.path("counts").path("up").asInt())
                .append(" · 👎 ")
                .append(found.path("counts").path("down").asInt())
                .append('\n');
        for (JsonNode f : found.path("feedback")) {
            JsonNode turn = f.path("turn");
            String question = turn.path("question").asText();
            text.append(f.path("rating").asText().equals("up") ? "👍 " : "👎 ")
                    .append('"')
                    .append(question.length() > 80 ? question.substring(0, 80) + "…" : question)
                    .append("\" · ")
                    .append(turn.path("model").asText())
                    .append(turn.path("cached").asBoolean() ? " · cache hit" : "")
                    .append(" · ")
                    .append(turn.path("sources").size())
                    .append(" sources · <t:")
                    .append(java.time.Instant.parse(f.path("rated_at").asText()).getEpochSecond())
                    .append(":R>\n");
        }
        if (found.path("feedback").isEmpty()) {
            text.append("No ratings yet.\n");
        }
        return text.append("All of them are in the attached feedback.jsonl.").toString();
    }
}
