package dev.jerry.agent.memory;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A conversation: {@code dm:<user>} or {@code guild:<guild>:channel:<channel>:user:<user>}, with the summary of its
 * older turns and the turns since.
 *
 * @param summarizedThrough the id of the last message folded into the summary
 */
public record Conversation(
        String id, String userId, String summary, long summarizedThrough, Instant updatedAt, List<Message> recent) {
    private static final Pattern ID = Pattern.compile("dm:\\d{1,25}|guild:\\d{1,25}:channel:\\d{1,25}:user:\\d{1,25}");

    public Conversation {
        recent = List.copyOf(recent);
    }

    /** Whether {@code id} is a conversation id Jerry uses (Discord snowflakes are digits). */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
