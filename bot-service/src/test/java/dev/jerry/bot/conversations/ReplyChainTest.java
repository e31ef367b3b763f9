package dev.jerry.bot.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.conversations.ReplyChain.Link;
import dev.jerry.kit.api.AgentChatRequest.HistoryMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReplyChainTest {
    private static final long JERRY = 99;
    private final Map<Long, Link> messages = new HashMap<>();

    private Link user(long id, String content, Long repliesTo) {
        return put(new Link(id, false, content, repliesTo == null ? OptionalLong.empty() : OptionalLong.of(repliesTo)));
    }

    private Link jerry(long id, String content, long repliesTo) {
        return put(new Link(id, true, content, OptionalLong.of(repliesTo)));
    }

    private Link put(Link link) {
        messages.put(link.id(), link);
        return link;
    }

    private ReplyChain.Path read(Link message) {
        return ReplyChain.read(message, JERRY, id -> Optional.ofNullable(messages.get(id)));
    }

    @Test
    void should_be_its_own_root_without_history_when_a_message_replies_to_nothing() {
        // given
        Link question = user(1, "<@99> what is heavy water?", null);

        // when
        ReplyChain.Path path = read(question);

        // then
        assertThat(path.root()).isEqualTo(1);
        assertThat(path.history()).isEmpty();
    }

    @Test
    void should_read_the_path_to_the_root_without_mentions_and_footnotes_when_replying_to_an_answer() {
        // given
        user(1, "<@99> what is heavy water?", null);
        jerry(2, "Water with deuterium [1].\n\n-# [1] manual.pdf, p. 2", 1);
        Link reply = user(3, "<@!99> and is it toxic?", 2L);

        // when
        ReplyChain.Path path = read(reply);

        // then
        assertThat(path.root()).isEqualTo(1);
        assertThat(path.history())
                .containsExactly(
                        new HistoryMessage("user", "what is heavy water?"),
                        new HistoryMessage("assistant", "Water with deuterium [1]."));
    }

    @Test
    void should_see_only_its_own_branch_when_replying_to_an_older_answer() {
        // given: 1 <- 2 <- 3 <- 4, then 5 replies to 2
        user(1, "<@99> name a coolant", null);
        jerry(2, "Heavy water.", 1);
        user(3, "another?", 2L);
        jerry(4, "Sodium.", 3);
        Link branch = user(5, "why heavy water?", 2L);

        // when
        ReplyChain.Path path = read(branch);

        // then
        assertThat(path.root()).isEqualTo(1);
        assertThat(path.history())
                .extracting(HistoryMessage::content)
                .containsExactly("name a coolant", "Heavy water.");
    }

    @Test
    void should_join_an_answer_split_over_several_messages_and_skip_unreadable_ones() {
        // given: the answer's second part replies to its first; a message the bot could not read is empty
        user(1, "<@99> explain", null);
        jerry(2, "Part one", 1);
        jerry(3, "part two", 2);
        user(4, "", 3L);
        Link last = user(5, "<@99> go on", 4L);

        // when
        ReplyChain.Path path = read(last);

        // then
        assertThat(path.history())
                .containsExactly(
                        new HistoryMessage("user", "explain"), new HistoryMessage("assistant", "Part one\npart two"));
    }

    @Test
    void should_be_named_by_the_deleted_message_when_the_chain_is_cut_above() {
        // given: message 7 was deleted
        jerry(8, "An answer.", 7);
        Link reply = user(9, "<@99> more", 8L);

        // when
        ReplyChain.Path path = read(reply);

        // then
        assertThat(path.root()).isEqualTo(7);
        assertThat(path.history()).containsExactly(new HistoryMessage("assistant", "An answer."));
    }

    @Test
    void should_stop_reading_after_the_longest_chain() {
        // given: a chain longer than the bot reads
        user(0, "<@99> start", null);
        for (long id = 1; id <= ReplyChain.MAX_LINKS + 10; id++) {
            if (id % 2 == 1) {
                jerry(id, "answer " + id, id - 1);
            } else {
                user(id, "question " + id, id - 1);
            }
        }
        Link last = user(1000, "<@99> and?", (long) ReplyChain.MAX_LINKS + 10);

        // when
        ReplyChain.Path path = read(last);

        // then
        assertThat(path.history()).hasSize(ReplyChain.MAX_LINKS);
        assertThat(path.root()).isEqualTo(11);
    }
}
