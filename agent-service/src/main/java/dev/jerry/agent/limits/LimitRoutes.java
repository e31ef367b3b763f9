package dev.jerry.agent.limits;

import dev.jerry.kit.api.LimitTake;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /v1/limits/take} {@code {user_id, burst, refill_ms, daily_quota}}: takes one request of the user's rate
 * limit and daily quota. The policy is the caller's (bot-service's configuration); the counting is shared. Answers
 * {@code {allowed: true, used_today, quota}} or {@code {allowed: false, reason: "rate", retry_after_ms}} or
 * {@code {allowed: false, reason: "quota", quota, resets_at}}, always 200: a refusal is the answer, not an error.
 */
public final class LimitRoutes implements Feature {
    private final LimitStore store;

    public LimitRoutes(LimitStore store) {
        this.store = store;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/limits/take", ctx -> {
            LimitTake take = Json.readRequest(ctx.body(), LimitTake.class);
            LimitStore.Policy policy;
            try {
                policy = new LimitStore.Policy(take.burst(), Duration.ofMillis(take.refillMs()), take.dailyQuota());
            } catch (IllegalArgumentException e) {
                throw new dev.jerry.kit.error.ServiceException.BadInput(e.getMessage());
            }
            LimitTake.Verdict verdict = switch (store.take(take.userId(), policy, Instant.now())) {
                case LimitStore.Outcome.Allowed a ->
                    new LimitTake.Verdict(true, null, a.usedToday(), a.quota(), null, null);
                case LimitStore.Outcome.RateLimited r ->
                    new LimitTake.Verdict(
                            false, "rate", null, null, r.retryAfter().toMillis(), null);
                case LimitStore.Outcome.OverQuota q ->
                    new LimitTake.Verdict(
                            false, "quota", null, q.quota(), null, q.resetsAt().toString());
            };
            ctx.json(verdict);
        });
    }
}
