package dev.jerry.agent.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.settings.ChannelSettings;
import dev.jerry.agent.settings.Patch;
import dev.jerry.agent.settings.SettingsStore;
import dev.jerry.kit.json.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
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
    void should_clear_an_attachments_collection_that_a_setting_named_before_they_were_reserved() throws Exception {
        // given: a database of the release before, whose channel names a conversation's attachment collection
        String url = "jdbc:sqlite:" + dir.resolve("agent.db");
        Flyway.configure()
                .dataSource(url, "", "")
                .locations("classpath:db/migration/sqlite", "classpath:db/migration/common")
                .target("18.4")
                .load()
                .migrate();
        new SettingsStore(new MemoryStore(url, "", ""))
                .patch(
                        "1",
                        "20",
                        "channel",
                        Patch.read(Json.mapper().readTree("{\"persona\":\"docs\",\"collection\":\"Scratch-0a1b\"}")),
                        "admin");
        new SettingsStore(new MemoryStore(url, "", ""))
                .patch("1", "21", "channel", Patch.read(Json.mapper().readTree("{\"collection\":\"manuals\"}")), "a");

        // when: this release starts on it
        Map<String, ChannelSettings> after = new SettingsStore(store())
                .all("1").stream()
                        .collect(Collectors.toMap(SettingsStore.Scope::scopeId, SettingsStore.Scope::settings));

        // then: that collection is gone, the channel's other settings and other channels' collections stay
        assertThat(after.get("20").collection()).isNull();
        assertThat(after.get("20").persona()).isEqualTo("docs");
        assertThat(after.get("21").collection()).isEqualTo("manuals");
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
