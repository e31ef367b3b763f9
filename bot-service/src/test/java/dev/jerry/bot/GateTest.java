package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.channels.AgentState;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate over agent-service's real counting routes (SQLite): the bucket and quota arithmetic itself, and the reset
 * at midnight UTC, are agent-service's and tested there on SQLite and PostgreSQL.
 */
class GateTest {
    private static final long MEMBERS = 10;
    private static final long PATRONS = 11;
    private static final AtomicLong USERS = new AtomicLong(System.currentTimeMillis());

    private static AgentDouble agent;

    @BeforeAll
    static void start() {
        agent = AgentDouble.start();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    private static Gate.Counters counters(URI url) {
        return new AgentState(new UpstreamConfig("agent-service", url, Optional.empty())
                .client(ClientOptions.defaults().withMaxAttempts(1), new ServiceMetrics("test")))::take;
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
    void should_allow_a_burst_then_refuse_saying_when_to_come_back() {
        // given
        Gate gate = new Gate(
                open(), new BotServiceConfig.Limits(2, Duration.ofMinutes(1), 0, Map.of()), counters(agent.baseUrl()));
        long user = USERS.incrementAndGet();

        // when
        Gate.Verdict first = gate.admit(inGuild(user));
        Gate.Verdict second = gate.admit(inGuild(user));
        Gate.Verdict third = gate.admit(inGuild(user));

        // then
        assertThat(first).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(second).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(third).isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(((Gate.Verdict.Refused) third).reason()).isEqualTo("rate");
        assertThat(((Gate.Verdict.Refused) third).message())
                .contains("2 per 1 min")
                .containsPattern("Try again in (29|30) s");
    }

    @Test
    void should_count_a_daily_quota_per_role_across_two_bot_processes() {
        // given: two gates are two bot processes counting in one database
        var limits = new BotServiceConfig.Limits(100, Duration.ofSeconds(1), 1, Map.of(MEMBERS, 2, PATRONS, 0));
        Gate one = new Gate(open(), limits, counters(agent.baseUrl()));
        Gate two = new Gate(open(), limits, counters(agent.baseUrl()));
        long plain = USERS.incrementAndGet();
        long member = USERS.incrementAndGet();
        long patron = USERS.incrementAndGet();

        // when
        Gate.Verdict plainFirst = one.admit(inGuild(plain));
        Gate.Verdict plainAgain = two.admit(inGuild(plain));

        // then
        assertThat(plainFirst).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(((Gate.Verdict.Refused) plainAgain).message())
                .contains("your 1 answers for today")
                .contains("00:00 UTC");
        assertThat(one.admit(inGuild(member, MEMBERS))).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(two.admit(inGuild(member, MEMBERS))).isInstanceOf(Gate.Verdict.Allowed.class);
        assertThat(one.admit(inGuild(member, MEMBERS))).isInstanceOf(Gate.Verdict.Refused.class);
        for (int i = 0; i < 5; i++) {
            assertThat((i % 2 == 0 ? one : two).admit(inGuild(patron, MEMBERS, PATRONS)))
                    .as("0 = unlimited")
                    .isInstanceOf(Gate.Verdict.Allowed.class);
        }
    }

    @Test
    void should_apply_the_allowlists_and_the_dm_switch_without_consuming_tokens() {
        // given
        var access = new BotServiceConfig.Access(Set.of(1L), Set.of(2L), Set.of(MEMBERS), false);
        Gate gate = new Gate(
                access, new BotServiceConfig.Limits(1, Duration.ofHours(1), 0, Map.of()), counters(agent.baseUrl()));
        long user = USERS.incrementAndGet();

        // when / then
        assertThat(gate.admit(new Gate.Ask(user, 9L, 2L, Set.of(MEMBERS))))
                .isEqualTo(new Gate.Verdict.Refused("guild", "Jerry is not enabled on this server."));
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(user, 1L, 3L, Set.of(MEMBERS)))).reason())
                .isEqualTo("channel");
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(user, 1L, 2L, Set.of()))).reason())
                .isEqualTo("role");
        assertThat(((Gate.Verdict.Refused) gate.admit(new Gate.Ask(user, null, null, Set.of()))).reason())
                .isEqualTo("dms_off");
        assertThat(gate.admit(new Gate.Ask(user, 1L, 2L, Set.of(MEMBERS))))
                .as("the refusals above used none of the single token")
                .isInstanceOf(Gate.Verdict.Allowed.class);
    }

    @Test
    void should_refuse_in_plain_words_when_the_counters_cannot_be_reached() {
        // given
        Gate gate = new Gate(
                open(),
                new BotServiceConfig.Limits(5, Duration.ofMinutes(1), 0, Map.of()),
                counters(URI.create("http://127.0.0.1:" + Ports.free())));

        // when
        Gate.Verdict verdict = gate.admit(inGuild(USERS.incrementAndGet()));

        // then
        assertThat(((Gate.Verdict.Refused) verdict).reason()).isEqualTo("limits_unavailable");
        assertThat(((Gate.Verdict.Refused) verdict).message())
                .startsWith("⚠️ Jerry cannot count your requests right now")
                .doesNotContain("Exception");
    }
}
