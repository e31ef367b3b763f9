package dev.jerry.agent.channels;

import dev.jerry.agent.memory.MemoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel settings, feedback and shared limits on a real SQLite file. */
class SharedStateTest {
    @TempDir
    Path dir;

    private MemoryStore store() {
        return new MemoryStore("jdbc:sqlite:" + dir.resolve("agent.db"), "", "").migrate();
    }

    @Test
    void should_inherit_settings_from_category_to_channel_to_thread() {
        SharedStateContract.inheritsSettingsFromCategoryToChannelToThread(this::store);
    }

    @Test
    void should_clear_one_setting_and_keep_the_others() {
        SharedStateContract.clearsOneFieldAndKeepsTheOthers(this::store);
    }

    @Test
    void should_keep_feedback_with_its_turn_until_the_conversation_is_forgotten() {
        SharedStateContract.keepsFeedbackWithItsTurnUntilTheConversationIsForgotten(this::store);
    }

    @Test
    void should_count_rate_and_quota_across_restarts() {
        SharedStateContract.countsRateAndQuotaAcrossRestarts(this::store);
    }

    @Test
    void should_never_hand_out_more_than_the_burst_at_once() throws Exception {
        SharedStateContract.neverHandsOutMoreThanTheBurstAtOnce(this::store);
    }
}
