package dev.jerry.bot.conversations;

import static dev.jerry.testing.DiscordDouble.ALICE;
import static dev.jerry.testing.DiscordDouble.BOB;
import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.GUILD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.GuildChat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code JERRY_DISCORD_MESSAGE_CONTENT=true}, every message in a thread Jerry opened continues its conversation. */
class EveryMessageInThreadsIT {
    @Test
    void should_continue_the_thread_with_every_message_when_message_content_is_enabled() {
        try (RunningBot running = RunningBot.start(Map.of("JERRY_DISCORD_MESSAGE_CONTENT", "true"))) {
            // given
            GuildChat chat = running.discord().guildChat();
            running.agent().script(r -> List.of(new Step.Delta("Answer to " + r.message()), new Step.Done(List.of())));
            assertThat(running.discord().intents() & (1L << 15))
                    .as("MESSAGE_CONTENT asked for")
                    .isNotZero();
            GuildChat.Thread thread =
                    running.askInThread("How is heat removed?", ALICE).thread();

            // when: a plain message in the thread, no mention, no reply
            chat.say(BOB, thread.id(), "and when the pumps stop?");

            // then
            await().atMost(RunningBot.WAIT)
                    .until(() -> chat.fromBot(thread.id()).stream()
                            .anyMatch(p -> p.content().equals("Answer to and when the pumps stop?")));
            String conversation = "guild:" + GUILD_ID + ":channel:" + CHANNEL_ID + ":thread:" + thread.id();
            assertThat(running.agent().requests())
                    .extracting(r -> r.conversationId() + " " + r.message())
                    .containsExactly(
                            conversation + " How is heat removed?", conversation + " and when the pumps stop?");
            assertThat(chat.posted(thread.id()))
                    .extracting(GuildChat.Posted::author)
                    .containsExactly(DiscordDouble.APP_ID, BOB, DiscordDouble.APP_ID);
        }
    }
}
