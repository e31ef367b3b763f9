package dev.jerry.bot.conversations;

import static dev.jerry.testing.DiscordDouble.ADMIN;
import static dev.jerry.testing.DiscordDouble.ALICE;
import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.GUILD_ID;
import static dev.jerry.testing.DiscordDouble.OTHER_CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.bot.commands.ConfigCommand;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.GuildChat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /jerry-config set thread_default:true} makes {@code /jerry} without {@code thread:} answer in a thread. */
class ThreadDefaultIT {
    @Test
    void should_open_a_thread_without_the_thread_option_when_the_channel_defaults_to_threads() {
        try (RunningBot running = RunningBot.start(Map.of())) {
            // given: this channel answers in threads by default, the other channel keeps the default
            DiscordDouble discord = running.discord();
            GuildChat chat = discord.guildChat();
            running.agent().script(r -> List.of(new Step.Delta("Answer to " + r.message()), new Step.Done(List.of())));
            DiscordDouble.Interaction set = discord.slash(
                            ConfigCommand.NAME, "set", Map.of("thread_default", true), ADMIN, CHANNEL_ID)
                    .await(i -> i.text().contains("✅"), RunningBot.WAIT);

            // when: /jerry without thread: here and in the other channel
            DiscordDouble.Interaction inThread = discord.slash(
                            AskCommand.NAME, Map.of("prompt", "How is heat removed?"), ALICE, CHANNEL_ID)
                    .await(i -> i.text().startsWith("🧵"), RunningBot.WAIT);
            GuildChat.Thread thread = await("a thread")
                    .atMost(RunningBot.WAIT)
                    .until(() -> chat.threads().stream().findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            await("the answer in the thread")
                    .atMost(RunningBot.WAIT)
                    .until(() -> chat.fromBot(thread.id()).stream()
                            .anyMatch(p -> p.content().equals("Answer to How is heat removed?")));
            DiscordDouble.Interaction inPlace = discord.slash(
                            AskCommand.NAME, Map.of("prompt", "And the pumps?"), ALICE, OTHER_CHANNEL_ID)
                    .await(i -> i.text().contains("Answer to And the pumps?"), RunningBot.WAIT);

            // then
            assertThat(set.text()).contains("✅");
            assertThat(inThread.text()).contains("How is heat removed?");
            assertThat(thread.parent()).isEqualTo(CHANNEL_ID);
            assertThat(chat.threads()).as("the other channel answered in place").hasSize(1);
            assertThat(inPlace.text()).doesNotStartWith("🧵");
            assertThat(running.agent().requests())
                    .extracting(r -> r.conversationId())
                    .containsExactly(
                            "guild:" + GUILD_ID + ":channel:" + CHANNEL_ID + ":thread:" + thread.id(),
                            "guild:" + GUILD_ID + ":channel:" + OTHER_CHANNEL_ID + ":user:" + ALICE);
        }
    }
}
