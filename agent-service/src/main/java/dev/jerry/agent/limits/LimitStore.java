package dev.jerry.agent.limits;

import dev.jerry.agent.memory.MemoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A token bucket and a daily count per user in the {@code rate_buckets} and {@code daily_usage} tables: one
 * transaction per request (the bucket row locked on PostgreSQL), so that several bot processes, and a restarted one,
 * count together. A request the quota refuses takes no token.
 */
public final class LimitStore {
    /**
     * @param burst requests a user may make at once
     * @param refill the time in which a full burst is earned back
     * @param dailyQuota answers per UTC day; 0 = unlimited
     */
    public record Policy(int burst, Duration refill, int dailyQuota) {
        public Policy {
            if (burst < 1) {
                throw new IllegalArgumentException("field 'burst' must be at least 1, got " + burst);
            }
            if (refill == null || refill.isNegative() || refill.isZero()) {
                throw new IllegalArgumentException("field 'refill_ms' must be at least 1");
            }
            if (dailyQuota < 0) {
                throw new IllegalArgumentException("field 'daily_quota' must be 0 (unlimited) or more");
            }
        }
    }

    /** Whether the request may go ahead. */
    public sealed interface Outcome {
        /** Taken; {@code usedToday} counts this one (0 when there is no quota). */
        record Allowed(int usedToday, int quota) implements Outcome {}

        record RateLimited(Duration retryAfter) implements Outcome {}

        record OverQuota(int quota, Instant resetsAt) implements Outcome {}
    }

    private final MemoryStore db;

    public LimitStore(MemoryStore db) {
        this.db = db;
    }

    /** Takes one request of {@code user}'s bucket and quota at {@code now}, or says why not. */
    public synchronized Outcome take(String user, Policy policy, Instant now) {
        return db.withConnection("could not count the request", (c, sqlite) -> {
            c.setAutoCommit(false);
            try {
                Outcome outcome = take(c, sqlite, user, policy, now);
                if (outcome instanceof Outcome.Allowed) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
    }

    private static Outcome take(Connection c, boolean sqlite, String user, Policy policy, Instant now)
            throws SQLException {
        long nowMs = now.toEpochMilli();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rate_buckets (user_id, tokens, updated_ms) "
                + "VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING")) {
            s.setString(1, user);
            s.setDouble(2, policy.burst());
            s.setLong(3, nowMs);
            s.executeUpdate();
        }
        double tokens;
        long last;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT tokens, updated_ms FROM rate_buckets WHERE user_id = ?" + (sqlite ? "" : " FOR UPDATE"))) {
            s.setString(1, user);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                tokens = r.getDouble(1);
                last = r.getLong(2);
            }
        }
        double perMs = policy.burst() / (double) policy.refill().toMillis();
        tokens = Math.min(policy.burst(), tokens + Math.max(0, nowMs - last) * perMs);
        if (tokens < 1) {
            return new Outcome.RateLimited(Duration.ofMillis((long) Math.ceil((1 - tokens) / perMs)));
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE rate_buckets SET tokens = ?, updated_ms = ? WHERE user_id = ?")) {
            s.setDouble(1, tokens - 1);
            s.setLong(2, nowMs);
            s.setString(3, user);
            s.executeUpdate();
        }
        if (policy.dailyQuota() == 0) {
            return new Outcome.Allowed(0, 0);
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int counted;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO daily_usage (user_id, day, used) VALUES (?, ?, 1) "
                + "ON CONFLICT (user_id, day) DO UPDATE SET used = daily_usage.used + 1 WHERE daily_usage.used < ?")) {
            s.setString(1, user);
            s.setString(2, today.toString());
            s.setInt(3, policy.dailyQuota());
            counted = s.executeUpdate();
        }
        if (counted == 0) {
            return new Outcome.OverQuota(
                    policy.dailyQuota(),
                    today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        int used;
        try (PreparedStatement s = c.prepareStatement("SELECT used FROM daily_usage WHERE user_id = ? AND day = ?")) {
            s.setString(1, user);
            s.setString(2, today.toString());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                used = r.getInt(1);
            }
        }
        if (used == 1) {
            // a user's first answer of a day: their older days are of no use any more
            try (PreparedStatement s = c.prepareStatement("DELETE FROM daily_usage WHERE user_id = ? AND day < ?")) {
                s.setString(1, user);
                s.setString(2, today.toString());
                s.executeUpdate();
            }
        }
        return new Outcome.Allowed(used, policy.dailyQuota());
    }
}
