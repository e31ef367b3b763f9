package dev.jerry.agent.limits;

import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/limits/take} {@code {user_id, burst, refill_ms, daily_quota}}: takes one request of the user's rate
 * limit and daily quota. The policy is the caller's (bot-service's configuration); the counting is shared. Answers
 * {@code {allowed: true, used_today, quota}} or {@code {allowed: false, reason: "rate", retry_after_ms}} or
 * {@code {allowed: false, reason: "quota", quota, resets_at}}, always 200: a refusal is the answer, not an error.
 */
public final class LimitRoutes implements Feature {
    /** {@code POST /v1/limits/take}. */
    record Take(String userId, int burst, long refillMs, int dailyQuota) {
        Take {
            if (userId == null || userId.isBlank() || userId.length() > 200) {
                throw new IllegalArgumentException("field 'user_id' is required");
            }
        }
    }

    private final LimitStore store;

    public LimitRoutes(LimitStore store) {
        this.store = store;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/limits/take", ctx -> {
            Take take = Json.readRequest(ctx.body(), Take.class);
            LimitStore.Policy policy;
            try {
                policy = new LimitStore.Policy(take.burst(), Duration.ofMillis(take.refillMs()), take.dailyQuota());
            } catch (IllegalArgumentException e) {
                throw new dev.jerry.kit.error.ServiceException.BadInput(e.getMessage());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            switch (store.take(take.userId(), policy, Instant.now())) {
                case LimitStore.Outcome.Allowed a -> {
                    body.put("allowed", true);
                    body.put("used_today", a.usedToday());
                    body.put("quota", a.quota());
                }
                case LimitStore.Outcome.RateLimited r -> {
                    body.put("allowed", false);
                    body.put("reason", "rate");
                    body.put("retry_after_ms", r.retryAfter().toMillis());
                }
                case LimitStore.Outcome.OverQuota q -> {
                    body.put("allowed", false);
                    body.put("reason", "quota");
                    body.put("quota", q.quota());
                    body.put("resets_at", q.resetsAt().toString());
                }
            }
            ctx.json(body);
        });
    }
}
