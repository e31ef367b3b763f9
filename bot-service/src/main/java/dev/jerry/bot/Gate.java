package dev.jerry.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Who may ask, and how often: the guild, channel and role allowlists, DMs on or off, a per-user token bucket and a
 * daily quota per user (the largest of their roles' quotas, else the default). Counted in this process: shards run by
 * one ShardManager share it.
 */
public final class Gate {
    /** Someone asking: the user, and where (guild and channel are null in DMs). */
    public record Ask(long user, Long guild, Long channel, Set<Long> roles) {
        public boolean dm() {
            return guild == null;
        }
    }

    /** Allowed, or refused with a message for the user and the reason for metrics. */
    public sealed interface Verdict {
        record Allowed() implements Verdict {}

        record Refused(String reason, String message) implements Verdict {}
    }

    private static final Verdict ALLOWED = new Verdict.Allowed();

    private final BotServiceConfig.Access access;
    private final BotServiceConfig.Limits limits;
    private final Clock clock;
    private final Cache<Long, Bucket> buckets;
    private final Cache<Long, DayCount> days;

    public Gate(BotServiceConfig.Access access, BotServiceConfig.Limits limits, Clock clock) {
        this.access = access;
        this.limits = limits;
        this.clock = clock;
        // an idle bucket is full again after one refill period, so it can be forgotten then
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(limits.refill())
                .maximumSize(1_000_000)
                .build();
        this.days = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofHours(25))
                .maximumSize(1_000_000)
                .build();
    }

    /** Whether this user may ask here at all; consumes nothing. */
    public Verdict access(Ask ask) {
        if (ask.dm()) {
            return access.dms()
                    ? ALLOWED
                    : new Verdict.Refused(
                            "dms_off", "Jerry does not answer direct messages here; ask in a server channel.");
        }
        if (!access.guilds().isEmpty() && !access.guilds().contains(ask.guild())) {
            return new Verdict.Refused("guild", "Jerry is not enabled on this server.");
        }
        if (!access.channels().isEmpty() && !access.channels().contains(ask.channel())) {
            return new Verdict.Refused("channel", "Jerry is not enabled in this channel; try another one.");
        }
        if (!access.roles().isEmpty() && ask.roles().stream().noneMatch(access.roles()::contains)) {
            return new Verdict.Refused("role", "You need a role that may use Jerry here; ask a moderator.");
        }
        return ALLOWED;
    }

    /** Access, then one token of the user's bucket, then one answer of their daily quota. */
    public Verdict admit(Ask ask) {
        Verdict verdict = access(ask);
        if (verdict instanceof Verdict.Refused) {
            return verdict;
        }
        Instant now = clock.instant();
        Bucket bucket = buckets.get(ask.user(), u -> new Bucket(limits.burst(), now));
        Duration wait = bucket.take(now, limits.burst(), limits.refill());
        if (!wait.isZero()) {
            Instant retry = now.plus(wait);
            return new Verdict.Refused(
                    "rate",
                    "You are asking faster than Jerry allows (" + limits.burst() + " per " + human(limits.refill())
                            + "). Try again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s (<t:"
                            + retry.getEpochSecond() + ":R>).");
        }
        int quota = quota(ask.roles());
        if (quota > 0) {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            DayCount count = days.get(ask.user(), u -> new DayCount());
            if (!count.take(today, quota)) {
                Instant reset = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Verdict.Refused(
                        "quota",
                        "You have used your " + quota + " answers for today. The quota resets at 00:00 UTC (<t:"
                                + reset.getEpochSecond() + ":R>).");
            }
        }
        return ALLOWED;
    }

    /** The daily quota for a member with these roles: the largest role quota (0 = unlimited wins), else the default. */
    public int quota(Set<Long> roles) {
        int best = -1;
        for (Long role : roles) {
            Integer q = limits.roleQuotas().get(role);
            if (q != null) {
                if (q == 0) {
                    return 0;
                }
                best = Math.max(best, q);
            }
        }
        return best >= 0 ? best : limits.dailyQuota();
    }

    private static String human(Duration d) {
        if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    /** A token bucket: {@code burst} tokens, refilled continuously at burst per refill period. */
    private static final class Bucket {
        private double tokens;
        private Instant last;

        Bucket(int burst, Instant now) {
            this.tokens = burst;
            this.last = now;
        }

        /** Takes a token and returns zero, or takes nothing and returns how long until one is there. */
        synchronized Duration take(Instant now, int burst, Duration refill) {
            double perNano = burst / (double) refill.toNanos();
            long elapsed = Math.max(0, Duration.between(last, now).toNanos());
            tokens = Math.min(burst, tokens + elapsed * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
        }
    }

    private static final class DayCount {
        private LocalDate day;
        private int used;

        synchronized boolean take(LocalDate today, int quota) {
            if (!today.equals(day)) {
                day = today;
                used = 0;
            }
            if (used >= quota) {
                return false;
            }
            used++;
            return true;
        }
    }
}
