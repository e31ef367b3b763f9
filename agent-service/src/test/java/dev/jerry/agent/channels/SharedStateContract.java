package dev.jerry.agent.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.agent.feedback.FeedbackStore;
import dev.jerry.agent.feedback.Rating;
import dev.jerry.agent.limits.LimitStore;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.memory.Message;
import dev.jerry.agent.memory.User;
import dev.jerry.agent.settings.Effective;
import dev.jerry.agent.settings.Patch;
import dev.jerry.agent.settings.SettingsStore;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.api.EffectiveSettings;
import dev.jerry.kit.api.Feedback;
import dev.jerry.kit.api.TurnRecord;
import dev.jerry.kit.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the agent's database keeps for several bot processes (channel settings, turns and their feedback, rate-limit
 * and quota counters), run by {@link SharedStateTest} on SQLite and {@link SharedStatePostgresIT} on PostgreSQL. Each
 * {@code stores.get()} opens the database again: what a restarted service, or another process, sees.
 */
final class SharedStateContract {
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    private SharedStateContract() {}

    private static String id() {
        return String.valueOf(IDS.incrementAndGet());
    }

    private static Patch patch(String json) {
        try {
            return Patch.read(Json.mapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void inheritsSettingsFromCategoryToChannelToThread(Supplier<MemoryStore> stores) {
        String guild = id();
        String category = id();
        String channel = id();
        String thread = id();
        String user = id();
        new SettingsStore(stores.get())
                .patch(guild, category, "category", patch("{\"persona\":\"docs\",\"cache\":false}"), "admin");
        new SettingsStore(stores.get())
                .patch(
                        guild,
                        channel,
                        "channel",
                        patch("{\"model\":\"big:7b\",\"allowed_models\":[\"small:1b\"],\"thread_default\":true}"),
                        "admin");
        new SettingsStore(stores.get()).patch(guild, "user:" + user, "user", patch("{\"model\":\"small:1b\"}"), user);

        SettingsStore store = new SettingsStore(stores.get());
        List<String> chain = List.of(thread, channel, category);
        EffectiveSettings inThread = Effective.resolve(
                chain, store.scopes(guild, List.of(thread, channel, category)), Optional.empty(), "m");
        EffectiveSettings picked = Effective.resolve(
                chain,
                store.scopes(guild, List.of(thread, channel, category, "user:" + user)),
                Optional.ofNullable(store.scopes(guild, List.of("user:" + user)).get("user:" + user)),
                "m");
        EffectiveSettings elsewhere = Effective.resolve(List.of(id()), Map.of(), Optional.empty(), "m");

        assertThat(inThread.persona()).isEqualTo(new EffectiveSettings.Value<>("docs", "category", category));
        assertThat(inThread.cache()).isEqualTo(new EffectiveSettings.Value<>(false, "category", category));
        assertThat(inThread.model()).isEqualTo(new EffectiveSettings.Value<>("big:7b", "channel", channel));
        assertThat(inThread.threadDefault().value()).isTrue();
        assertThat(picked.model()).isEqualTo(new EffectiveSettings.Value<>("small:1b", "user", "user:" + user));
        assertThat(elsewhere.persona()).isEqualTo(new EffectiveSettings.Value<>("default", "default", null));
        assertThat(elsewhere.model().value()).isEqualTo("m");
        assertThat(elsewhere.cache().value()).isTrue();
    }

    static void clearsOneFieldAndKeepsTheOthers(Supplier<MemoryStore> stores) {
        String guild = id();
        String channel = id();
        new SettingsStore(stores.get())
                .patch(guild, channel, "channel", patch("{\"persona\":\"docs\",\"collection\":\"manuals\"}"), "a");

        var after = new SettingsStore(stores.get()).patch(guild, channel, "channel", patch("{\"persona\":null}"), "b");
        var emptied =
                new SettingsStore(stores.get()).patch(guild, channel, "channel", patch("{\"collection\":null}"), "b");

        assertThat(after.orElseThrow().settings().persona()).isNull();
        assertThat(after.orElseThrow().settings().collection()).isEqualTo("manuals");
        assertThat(after.orElseThrow().updatedBy()).isEqualTo("b");
        assertThat(emptied).as("a scope that sets nothing is removed").isEmpty();
        assertThat(new SettingsStore(stores.get()).all(guild)).isEmpty();
    }

    static void keepsFeedbackWithItsTurnUntilTheConversationIsForgotten(Supplier<MemoryStore> stores) {
        String user = id();
        String conversation = "dm:" + user;
        stores.get().append(conversation, new User(user, "Alice"), List.of(new Message(0, "user", "q", Instant.now())));
        TurnRecord turn = new TurnRecord(
                java.util.UUID.randomUUID().toString(),
                conversation,
                user,
                "docs",
                "big:7b",
                true,
                List.of(new AgentChatResponse.Source("manual.pdf", 3, "Manual", null)),
                "How hot may the boiler get?",
                "90 degrees [1]",
                Instant.now());
        new FeedbackStore(stores.get()).record(turn);
        String rater = id();

        new FeedbackStore(stores.get()).rate(turn, rater, Rating.UP);
        new FeedbackStore(stores.get()).rate(turn, rater, Rating.DOWN); // changed their mind: one rating per person
        List<Feedback> down = new FeedbackStore(stores.get()).list(Optional.of(Rating.DOWN), 1000);
        Feedback mine = down.stream()
                .filter(f -> f.turn().id().equals(turn.id()))
                .findFirst()
                .orElseThrow();

        assertThat(mine.ratedBy()).isEqualTo(rater);
        assertThat(mine.turn())
                .usingRecursiveComparison()
                .ignoringFields("createdAt")
                .isEqualTo(turn);
        assertThat(new FeedbackStore(stores.get()).list(Optional.of(Rating.UP), 1000))
                .noneMatch(f -> f.turn().id().equals(turn.id()));
        assertThat(stores.get().forget(conversation)).isEqualTo(1);
        assertThat(new FeedbackStore(stores.get()).turn(turn.id())).isEmpty();
        assertThat(new FeedbackStore(stores.get()).list(Optional.empty(), 10_000))
                .noneMatch(f -> f.turn().id().equals(turn.id()));
    }

    static void countsRateAndQuotaAcrossRestarts(Supplier<MemoryStore> stores) {
        String user = id();
        var policy = new LimitStore.Policy(2, Duration.ofMinutes(1), 3);
        Instant t = Instant.parse("2026-03-01T23:58:00Z");

        var first = new LimitStore(stores.get()).take(user, policy, t);
        var second = new LimitStore(stores.get()).take(user, policy, t);
        var third = new LimitStore(stores.get()).take(user, policy, t);
        var afterRefill = new LimitStore(stores.get()).take(user, policy, t.plusSeconds(30));
        var overQuota = new LimitStore(stores.get()).take(user, policy, t.plusSeconds(60));
        var nextDay = new LimitStore(stores.get()).take(user, policy, t.plusSeconds(120));

        assertThat(first).isEqualTo(new LimitStore.Outcome.Allowed(1, 3));
        assertThat(second).isEqualTo(new LimitStore.Outcome.Allowed(2, 3));
        assertThat(third).isEqualTo(new LimitStore.Outcome.RateLimited(Duration.ofSeconds(30)));
        assertThat(afterRefill).isEqualTo(new LimitStore.Outcome.Allowed(3, 3));
        assertThat(overQuota).isEqualTo(new LimitStore.Outcome.OverQuota(3, Instant.parse("2026-03-02T00:00:00Z")));
        assertThat(nextDay)
                .as("a new UTC day, and the refused request took no token")
                .isInstanceOf(LimitStore.Outcome.Allowed.class);
        assertThat(((LimitStore.Outcome.Allowed) nextDay).usedToday()).isEqualTo(1);
    }

    /** Two processes taking at once never hand out more than the burst. */
    static void neverHandsOutMoreThanTheBurstAtOnce(Supplier<MemoryStore> stores) throws Exception {
        String user = id();
        var policy = new LimitStore.Policy(5, Duration.ofHours(1), 0);
        LimitStore one = new LimitStore(stores.get());
        LimitStore two = new LimitStore(stores.get());
        Instant now = Instant.now();
        List<Future<LimitStore.Outcome>> takes = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                LimitStore store = i % 2 == 0 ? one : two;
                takes.add(pool.submit(() -> store.take(user, policy, now)));
            }
        }
        int allowed = 0;
        for (Future<LimitStore.Outcome> take : takes) {
            if (take.get() instanceof LimitStore.Outcome.Allowed) {
                allowed++;
            }
        }

        assertThat(allowed).isEqualTo(5);
    }
}
