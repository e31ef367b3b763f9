package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final long MEMBERS = 10;
    private static final long PATRONS = 11;

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-11-21T23:59:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static BotServiceConfig.Access open() {
        return new BotServiceConfig.Access(Set.of(), Set.of(), Set.of(), true);
    }

    private static Gate.Ask inGuild(long user, long... roles) {
        Set<Long> set = new java.util.HashSet<>();
        for (long r : roles) {
            set.add(r);
        }
        return new Gate.Ask(user, 1L, 2L, set);
    }

    @Test
    void should_allow_a_burst_then_refuse_until_a_token_is_earned_back() {
        HandClock clock = new HandClock();
        Gate gate = new Gate(open(), new BotServiceConfig.Limits(2, Duration.ofMinutes(1), 0, Map.of()), clock);

        assertThat(gate.admit(inGuild(1))).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(gate.admit(inGuild(1))).isInstanceOf(Gate.Verdict.Allowed.class);
        Gate.Verdict third = gate.admit(inGuild(1));

        assertThat(third).isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(((Gate.Verdict.Refused) third).reason()).isEqualTo("rate");
        assertThat(((Gate.Verdict.Refused) third).message())
                .contains("2 per 1 min")
                .contains("Try again in 30 s");
        assertThat(gate.admit(inGuild(2))).as("other users are not affected").isInstanceOf(Gate.Verdict.Allowed.class);
        clock.advance(Duration.ofSeconds(30));
        assertThat(gate.admit(inGuild(1))).isInstanceOf(Gate.Verdict.Allowed.class);
    }

    @Test
    void should_count_a_daily_quota_per_role_and_reset_it_at_midnight_utc() {
        HandClock clock = new HandClock();
        var limits = new BotServiceConfig.Limits(100, Duration.ofSeconds(1), 1, Map.of(MEMBERS, 2, PATRONS, 0));
        Gate gate = new Gate(open(), limits, clock);

        assertThat(gate.admit(inGuild(1))).isInstanceOf(Gate.Verdict.Allowed.class);
        Gate.Verdict over = gate.admit(inGuild(1));
        assertThat(over).isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(((Gate.Verdict.Refused) over).message())
                .contains("your 1 answers for today")
                .contains("00:00 UTC");

        assertThat(gate.admit(inGuild(2, MEMBERS))).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(gate.admit(inGuild(2, MEMBERS))).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(gate.admit(inGuild(2, MEMBERS))).isInstanceOf(Gate.Verdict.Refused.class);
        for (int i = 0; i < 50; i++) {
            assertThat(gate.admit(inGuild(3, MEMBERS, PATRONS)))
                    .as("0 = unlimited")
                    .isInstanceOf(Gate.Verdict.Allowed.class);
        }

        clock.advance(Duration.ofMinutes(2)); // past midnight UTC
        assertThat(gate.admit(inGuild(1))).isInstanceOf(Gate.Verdict.Allowed.class);
    }

    @Test
    void should_apply_the_allowlists_and_the_dm_switch_without_consuming_tokens() {
        var access = new BotServiceConfig.Access(Set.of(1L), Set.of(2L), Set.of(MEMBERS), false);
        Gate gate =
                new Gate(access, new BotServiceConfig.Limits(1, Duration.ofHours(1), 0, Map.of()), Clock.systemUTC());

        assertThat(gate.admit(new Gate.Ask(5, 9L, 2L, Set.of(MEMBERS))))
                .isEqualTo(new Gate.Verdict.Refused("guild", "Jerry is not enabled on this server."));
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(5, 1L, 3L, Set.of(MEMBERS)))).reason())
                .isEqualTo("channel");
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(5, 1L, 2L, Set.of()))).reason())
                .isEqualTo("role");
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(5, null, null, Set.of()))).reason())
                .isEqualTo("dms_off");
        assertThat(gate.admit(new Gate.Ask(5, 1L, 2L, Set.of(MEMBERS))))
                .as("the refusals above used none of the single token")
                .isInstanceOf(Gate.Verdict.Allowed.class);
    }
}
