package dev.jerry.agent.channels;

import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same contract on a real PostgreSQL server: what several agent and bot processes share. */
class SharedStatePostgresIT {
    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.shared();
    }

    private static MemoryStore store() {
        return new MemoryStore(postgres.jdbcUrl(), postgres.user(), "unused").migrate();
    }

    @Test
    void should_inherit_settings_from_category_to_channel_to_thread() {
        SharedStateContract.inheritsSettingsFromCategoryToChannelToThread(SharedStatePostgresIT::store);
    }

    @Test
    void should_clear_one_setting_and_keep_the_others() {
        SharedStateContract.clearsOneFieldAndKeepsTheOthers(SharedStatePostgresIT::store);
    }

    @Test
    void should_keep_feedback_with_its_turn_until_the_conversation_is_forgotten() {
        SharedStateContract.keepsFeedbackWithItsTurnUntilTheConversationIsForgotten(SharedStatePostgresIT::store);
    }

    @Test
    void should_count_rate_and_quota_across_restarts() {
        SharedStateContract.countsRateAndQuotaAcrossRestarts(SharedStatePostgresIT::store);
    }

    @Test
    void should_never_hand_out_more_than_the_burst_at_once() throws Exception {
        SharedStateContract.neverHandsOutMoreThanTheBurstAtOnce(SharedStatePostgresIT::store);
    }
}
