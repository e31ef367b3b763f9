package dev.jerry.bot.conversations;

import static dev.jerry.testing.DiscordDouble.ALICE;
import static dev.jerry.testing.DiscordDouble.APP_ID;
import static dev.jerry.testing.DiscordDouble.BOB;
import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.GUILD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatRequest.HistoryMessage;
import dev.jerry.testing.GuildChat;
import dev.jerry.testing.GuildChat.Posted;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mentions, reply chains and threads with the real JDA against the Discord double, without the privileged
 * MESSAGE_CONTENT intent (the default): Discord gives the bot the text of messages that mention it only.
 */
class MentionsAndRepliesIT {
    private static RunningBot running;
    private static GuildChat chat;

    @BeforeAll
    static void start() {
        running = RunningBot.start(Map.of());
        chat = running.discord().guildChat();
        // every answer repeats the question, streamed in two pieces
        running.agent()
                .script(r -> List.of(
                        new Step.Delta("Answer to "),
                        new Step.Pause(50),
                        new Step.Delta(r.message()),
                        new Step.Done(List.of())));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    /** The bot's answer to a message: the first bot message replying to it, once the answer is complete. */
    private static Posted answerTo(long channel, String messageId) {
        return await("an answer to " + messageId)
                .atMost(RunningBot.WAIT)
                .until(
                        () -> chat.fromBot(channel).stream()
                                .filter(p -> messageId.equals(p.replyTo()))
                                .filter(p -> p.content().startsWith("Answer")
                                        && !p.content().endsWith(" …"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private static AgentChatRequest requestFor(String message) {
        return running.agent().requests().stream()
                .filter(r -> r.message().equals(message))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the agent was never asked '" + message + "'"));
    }

    @Test
    void should_answer_a_mention_as_a_reply_in_a_new_chain() {
        // given
        assertThat(running.discord().intents() & (1L << 15))
                .as("MESSAGE_CONTENT not asked for")
                .isZero();

        // when
        String question = chat.say(ALICE, CHANNEL_ID, "<@" + APP_ID + "> how is the core cooled?");

        // then
        Posted answer = answerTo(CHANNEL_ID, question);
        assertThat(answer.content()).isEqualTo("Answer to how is the core cooled?");
        AgentChatRequest request = requestFor("how is the core cooled?");
        assertThat(request.conversationId())
                .isEqualTo("guild:" + GUILD_ID + ":channel:" + CHANNEL_ID + ":chain:" + question);
        assertThat(request.history()).as("a new chain has no earlier turns").isEmpty();
        assertThat(request.user().id()).isEqualTo(String.valueOf(ALICE));
    }

    @Test
    void should_put_the_feedback_buttons_under_a_final_answer_to_a_mention() {
        // given: agent-service names the turn, as it does for every finished turn
        running.agent()
                .script(r -> List.of(new Step.Delta("Answer to " + r.message()), new Step.Done(List.of(), "turn-7")));
        try {
            // when
            String question = chat.say(ALICE, CHANNEL_ID, "<@" + APP_ID + "> which pump is the spare?");

            // then
            Posted answer = answerTo(CHANNEL_ID, question);
            await("the buttons under the answer")
                    .atMost(RunningBot.WAIT)
                    .untilAsserted(() -> assertThat(chat.buttons(answer.id()))
                            .containsExactly("jerry-feedback:up:turn-7", "jerry-feedback:down:turn-7"));
        } finally {
            running.agent()
                    .script(r -> List.of(
                            new Step.Delta("Answer to "),
                            new Step.Pause(50),
                            new Step.Delta(r.message()),
                            new Step.Done(List.of())));
        }
    }

    @Test
    void should_continue_the_chain_with_its_earlier_turn_when_someone_replies_to_the_answer() {
        // given
        String question = chat.say(ALICE, CHANNEL_ID, "<@" + APP_ID + "> what moderates the neutrons?");
        Posted first = answerTo(CHANNEL_ID, question);

        // when: Bob replies to Jerry's answer (Discord's reply keeps the @ mention of the author on by default)
        String followUp = chat.reply(BOB, CHANNEL_ID, first.id(), "and at what temperature?", true);

        // then
        Posted second = answerTo(CHANNEL_ID, followUp);
        assertThat(second.content()).endsWith("to and at what temperature?");
        AgentChatRequest request = requestFor("and at what temperature?");
        assertThat(request.conversationId())
                .isEqualTo("guild:" + GUILD_ID + ":channel:" + CHANNEL_ID + ":chain:" + question);
        assertThat(request.history())
                .containsExactly(
                        new HistoryMessage("user", "what moderates the neutrons?"),
                        new HistoryMessage("assistant", first.content()));
        assertThat(request.user().id()).isEqualTo(String.valueOf(BOB));
    }

    @Test
    void should_branch_with_only_the_path_above_when_someone_replies_to_an_older_answer() {
        // given: question -> answer A -> reply -> answer B
        String question = chat.say(ALICE, CHANNEL_ID, "<@" + APP_ID + "> name a coolant");
        Posted a = answerTo(CHANNEL_ID, question);
        String reply = chat.reply(ALICE, CHANNEL_ID, a.id(), "<@" + APP_ID + "> another one?", false);
        answerTo(CHANNEL_ID, reply);

        // when: Bob replies to the older answer A
        String branch = chat.reply(BOB, CHANNEL_ID, a.id(), "why that one?", true);

        // then: the branch sees the question and A, never the other branch's turns
        answerTo(CHANNEL_ID, branch);
        AgentChatRequest request = requestFor("why that one?");
        assertThat(request.history())
                .containsExactly(
                        new HistoryMessage("user", "name a coolant"), new HistoryMessage("assistant", a.content()));
        assertThat(request.conversationId()).endsWith(":chain:" + question);
    }

    @Test
    void should_explain_instead_of_asking_the_agent_when_a_reply_without_the_mention_cannot_be_read() {
        // given
        String question = chat.say(ALICE, CHANNEL_ID, "<@" + APP_ID + "> what is a reactor?");
        Posted answer = answerTo(CHANNEL_ID, question);
        int asked = running.agent().requests().size();

        // when: a reply with the @ mention turned off: Discord hides its text from the bot
        String silent = chat.reply(BOB, CHANNEL_ID, answer.id(), "and a breeder?", false);

        // then
        Posted hint = await().atMost(RunningBot.WAIT)
                .until(
                        () -> chat.fromBot(CHANNEL_ID).stream()
                                .filter(p -> silent.equals(p.replyTo()))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(hint.content()).contains("mention").contains("JERRY_DISCORD_MESSAGE_CONTENT");
        assertThat(running.agent().requests()).hasSize(asked);
    }

    @Test
    void should_open_a_thread_named_after_the_question_and_answer_mentions_in_it() {
        // given
        String question = "What cools the core of a research reactor?";

        // when
        RunningBot.Opened opened = running.askInThread(question, ALICE);
        GuildChat.Thread thread = opened.thread();

        // then
        assertThat(thread.name()).isEqualTo(question);
        assertThat(thread.parent()).isEqualTo(CHANNEL_ID);
        assertThat(thread.fromMessage())
                .isEqualTo(opened.interaction().messages().getFirst().id());
        String conversation = "guild:" + GUILD_ID + ":channel:" + CHANNEL_ID + ":thread:" + thread.id();
        assertThat(requestFor(question).conversationId()).isEqualTo(conversation);

        // and when: in the thread, a plain message (unreadable without MESSAGE_CONTENT), then a mention
        chat.say(BOB, thread.id(), "thanks, and the pumps?");
        String mention = chat.say(BOB, thread.id(), "<@" + APP_ID + "> how strong are the pumps?");

        // then: the mention continues the thread's conversation (its stored turns), the plain message reached nobody
        Posted answer = answerTo(thread.id(), mention);
        assertThat(answer.content()).endsWith("how strong are the pumps?");
        AgentChatRequest continued = requestFor("how strong are the pumps?");
        assertThat(continued.conversationId()).isEqualTo(conversation);
        assertThat(continued.history())
                .as("a thread continues from agent-service's memory")
                .isNull();
        assertThat(running.agent().requests()).noneMatch(r -> r.message().contains("and the pumps"));
    }
}
