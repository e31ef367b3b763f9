package dev.jerry.kit.api;

/**
 * {@code POST /v1/limits/take} of agent-service: one request of a user's rate limit and daily quota, counted in the
 * shared database under the caller's policy.
 *
 * @param burst requests a user may make at once
 * @param refillMs the time in which a full burst is earned back
 * @param dailyQuota answers per UTC day; 0 = unlimited
 */
public record LimitTake(String userId, int burst, long refillMs, int dailyQuota) {
    public LimitTake {
        if (userId == null || userId.isBlank() || userId.length() > 200) {
            throw new IllegalArgumentException("field 'user_id' is required");
        }
    }

    /**
     * The answer, always 200: allowed ({@code usedToday} counts this one), or refused for {@code rate} (with
     * {@code retryAfterMs}) or {@code quota} (with {@code resetsAt}, ISO-8601).
     */
    public record Verdict(
            boolean allowed, String reason, Integer usedToday, Integer quota, Long retryAfterMs, String resetsAt) {}
}
