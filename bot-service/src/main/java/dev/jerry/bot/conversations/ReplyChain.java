package dev.jerry.bot.conversations;

import dev.jerry.kit.api.AgentChatRequest.HistoryMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A reply chain read upwards from a new message: its root (which names the conversation) and the messages on the way
 * as the earlier turns, Jerry's as the assistant's and everyone else's as the user's. Replying to an older message
 * gives the path to that message only: a branch never sees a sibling branch. Plain Java; the JDA side only looks
 * messages up.
 */
public final class ReplyChain {
    /** At most this many messages are read above a new one (the agent keeps 20 turns anyway). */
    public static final int MAX_LINKS = 40;

    private static final Pattern FOOTNOTE = Pattern.compile("(?m)^-# \\[\\d+] .*$");
    private static final Pattern STATUS = Pattern.compile("^\\*[^*\\n]+\\*$");

    /** One message as the chain needs it; {@code content} as Discord gave it (empty when the bot may not read it). */
    public record Link(long id, boolean fromJerry, String content, OptionalLong repliesTo) {}

    /** Finds a message by id; empty when it was deleted or cannot be read. */
    @FunctionalInterface
    public interface Lookup {
        Optional<Link> find(long id);
    }

    /**
     * @param root the id of the top message reached (the conversation's name)
     * @param history the messages from the root down to the one replied to, oldest first; same-role neighbours (an
     *     answer split over several messages) joined
     */
    public record Path(long root, List<HistoryMessage> history) {}

    private ReplyChain() {}

    /** Reads the chain above {@code message}; a message that replies to nothing is its own root. */
    public static Path read(Link message, long jerry, Lookup lookup) {
        Deque<Link> above = new ArrayDeque<>();
        long root = message.id();
        Link current = message;
        while (current.repliesTo().isPresent() && above.size() < MAX_LINKS) {
            long parentId = current.repliesTo().getAsLong();
            root = parentId;
            Optional<Link> parent = lookup.find(parentId);
            if (parent.isEmpty()) {
                break; // deleted: the chain is named by the id it had
            }
            current = parent.get();
            above.addFirst(current);
        }
        List<HistoryMessage> history = new ArrayList<>();
        for (Link link : above) {
            String text = link.fromJerry() ? answerText(link.content()) : prompt(link.content(), jerry);
            if (text.isEmpty()) {
                continue;
            }
            String role = link.fromJerry() ? "assistant" : "user";
            if (!history.isEmpty() && history.getLast().role().equals(role)) {
                HistoryMessage last = history.removeLast();
                text = last.content() + "\n" + text;
            }
            history.add(new HistoryMessage(role, clip(text)));
        }
        return new Path(root, List.copyOf(history));
    }

    /** What a user wrote, without the mentions of Jerry that addressed it. */
    public static String prompt(String content, long jerry) {
        return content.replace("<@" + jerry + ">", "")
                .replace("<@!" + jerry + ">", "")
                .strip();
    }

    /** An answer as the model said it: without the footnotes the bot added, or a status line shown meanwhile. */
    static String answerText(String content) {
        String text = FOOTNOTE.matcher(content).replaceAll("").strip();
        return STATUS.matcher(text).matches() ? "" : text;
    }

    private static String clip(String text) {
        int max = dev.jerry.kit.api.AgentChatRequest.MAX_HISTORY_CHARS;
        return text.length() <= max ? text : text.substring(text.length() - max);
    }
}
