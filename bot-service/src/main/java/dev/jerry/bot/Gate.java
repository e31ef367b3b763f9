package dev.jerry.bot;

import dev.jerry.kit.api.LimitTake;
import dev.jerry.kit.client.UpstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Who may ask, and how often: the guild, channel and role allowlists, DMs on or off, a per-user token bucket and a
 * daily quota per user (the largest of their roles' quotas, else the default). The counting is shared: every bot
 * process, and a restarted one, counts in agent-service's database ({@link Counters}).
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

    /** Where requests are counted: takes one of the user's bucket and daily quota, or says why not. */
    @FunctionalInterface
    public interface Counters {
        LimitTake.Verdict take(LimitTake request);
    }

    private static final Verdict ALLOWED = new Verdict.Allowed();

    private final BotServiceConfig.Access access;
    private final BotServiceConfig.Limits limits;
    private final Counters counters;

    public Gate(BotServiceConfig.Access access, BotServiceConfig.Limits limits, Counters counters) {
        this.access = access;
        this.limits = limits;
        this.counters = counters;
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
        LimitTake.Verdict counted;
        try {
            counted = counters.take(new LimitTake(
                    String.valueOf(ask.user()), limits.burst(), limits.refill().toMillis(), quota(ask.roles())));
        } catch (UpstreamException e) {
            return new Verdict.Refused(
                    "limits_unavailable",
                    "⚠️ Jerry cannot count your requests right now (" + e.getMessage() + "). Please try again soon.");
        }
        if (counted.allowed()) {
            return ALLOWED;
        }
        if ("quota".equals(counted.reason())) {
            Instant reset = Instant.parse(counted.resetsAt());
            return new Verdict.Refused(
                    "quota",
                    "You have used your " + counted.quota() + " answers for today. The quota resets at 00:00 UTC (<t:"
                            + reset.getEpochSecond() + ":R>).");
        }
        long waitMs = counted.retryAfterMs() == null ? 1000 : counted.retryAfterMs();
        Instant retry = Instant.now().plusMillis(waitMs);
        return new Verdict.Refused(
                "rate",
                "You are asking faster than Jerry allows (" + limits.burst() + " per " + human(limits.refill())
                        + "). Try again in " + Math.max(1, (waitMs + 999) / 1000) + " s (<t:" + retry.getEpochSecond()
                        + ":R>).");
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
}
