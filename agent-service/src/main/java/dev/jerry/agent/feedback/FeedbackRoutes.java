package dev.jerry.agent.feedback;

import dev.jerry.kit.api.Feedback;
import dev.jerry.kit.api.TurnRecord;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/feedback} ({@code {turn_id, user_id, rating: "up"|"down"}}, counted in
 * {@code jerry_agent_feedback_total{rating,cached}}) and {@code GET /v1/feedback} ({@code ?rating=down&limit=100},
 * {@code &format=jsonl} for one rating per line).
 */
public final class FeedbackRoutes implements Feature {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    /** {@code POST /v1/feedback}. */
    record Rate(String turnId, String userId, String rating) {
        Rate {
            if (turnId == null || turnId.isBlank() || turnId.length() > 40) {
                throw new IllegalArgumentException("field 'turn_id' is required (the turn_id of a chat answer)");
            }
            if (userId == null || userId.isBlank() || userId.length() > 200) {
                throw new IllegalArgumentException("field 'user_id' is required");
            }
        }
    }

    private final FeedbackStore store;
    private final ServiceMetrics metrics;

    public FeedbackRoutes(FeedbackStore store, ServiceMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/feedback", this::rate);
        routes.get("/v1/feedback", this::list);
    }

    private void rate(Context ctx) {
        Rate request = Json.readRequest(ctx.body(), Rate.class);
        Rating rating = Rating.of("rating", request.rating());
        TurnRecord turn = store.turn(request.turnId())
                .orElseThrow(() -> new ServiceException.NotFound("no turn '" + request.turnId()
                        + "' (it was never answered, or its conversation was forgotten)"));
        Feedback feedback = store.rate(turn, request.userId(), rating);
        metrics.counter(
                        "feedback",
                        "Ratings of answers, by rating and by whether the cache answered",
                        "rating",
                        rating.label(),
                        "cached",
                        String.valueOf(turn.cached()))
                .increment();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("turn_id", turn.id());
        body.put("rating", feedback.rating());
        body.put("rated_by", feedback.ratedBy());
        body.put("model", turn.model());
        body.put("cached", turn.cached());
        ctx.json(body);
    }

    private void list(Context ctx) {
        Optional<Rating> rating = Optional.ofNullable(ctx.queryParam("rating")).map(r -> Rating.of("rating", r));
        int limit = limit(ctx.queryParam("limit"));
        List<Feedback> found = store.list(rating, limit);
        String format = Optional.ofNullable(ctx.queryParam("format")).orElse("json");
        switch (format) {
            case "jsonl" -> {
                StringBuilder lines = new StringBuilder();
                found.forEach(f -> lines.append(Json.write(f)).append('\n'));
                ctx.contentType("application/x-ndjson").result(lines.toString());
            }
            case "json" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                Map<String, Integer> counts = new LinkedHashMap<>();
                store.counts().forEach((r, n) -> counts.put(r.label(), n));
                body.put("counts", counts);
                body.put("feedback", found);
                ctx.json(body);
            }
            default ->
                throw new ServiceException.BadInput(
                        "format", "query 'format' must be json or jsonl, got '" + format + "'");
        }
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new ServiceException.BadInput("limit", "query 'limit' must be 1 to " + MAX_LIMIT + ", got '" + raw + "'");
    }
}
