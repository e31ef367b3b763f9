package dev.jerry.agent.memory;

import dev.jerry.kit.error.ServiceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conversation: {@code dm:<user>} or {@code guild:<guild>:channel:<channel>:user:<user>} (Discord), or
 * {@code openai:<client user>} (the OpenAI-compatible API), with the summary of its older turns and the turns since.
 *
 * @param summarizedThrough the id of the last message folded into the summary
 */
public record Conversation(
        String id, String userId, String summary, long summarizedThrough, Instant updatedAt, List<Message> recent) {
    public static final int MAX_USER_ID = 100;
    public static final int MAX_USER_NAME = 100;
    public static final String FORMS =
            "dm:<user>, guild:<guild>:channel:<channel>:user:<user>, guild:<guild>:channel:<channel>:chain:<message>,"
                    + " guild:<guild>:channel:<channel>:thread:<thread> (Discord ids) or openai:<user>";
    private static final Pattern DISCORD =
            Pattern.compile("(?:dm:|guild:\\d{1,25}:channel:\\d{1,25}:user:)(\\d{1,25})");
    private static final Pattern OPENAI = Pattern.compile("openai:[A-Za-z0-9._@-]{1,64}");
    /** A reply chain or a thread on Discord: everyone who can write there continues it (see bot-service). */
    private static final Pattern SHARED =
            Pattern.compile("guild:\\d{1,25}:channel:\\d{1,25}:(?:chain|thread):\\d{1,25}");

    public Conversation {
        recent = List.copyOf(recent);
    }

    /** Whether {@code id} is a conversation id Jerry uses (Discord snowflakes are digits). */
    public static boolean validId(String id) {
        return owner(id).isPresent();
    }

    /** The user a conversation belongs to: the Discord user of its id, or the API conversation itself. */
    public static Optional<String> owner(String id) {
        if (id == null || id.length() > 200) {
            return Optional.empty();
        }
        Matcher discord = DISCORD.matcher(id);
        if (discord.matches()) {
            return Optional.of(discord.group(1));
        }
        return OPENAI.matcher(id).matches() || shared(id) ? Optional.of(id) : Optional.empty();
    }

    /** Whether several users write into this conversation (a Discord reply chain or thread). */
    public static boolean shared(String id) {
        return id != null && SHARED.matcher(id).matches();
    }

    /**
     * Refuses a turn that cannot be: an unknown id form (400), a user id or name over its limit (400), or a user who
     * is not the one the conversation belongs to (403: nobody writes into someone else's conversation).
     */
    public static void check(String conversationId, String userId, String userName) {
        if (userId.length() > MAX_USER_ID) {
            throw new ServiceException.BadInput(
                    "field 'user.id' is " + userId.length() + " characters; the limit is " + MAX_USER_ID);
        }
        if (userName != null && userName.length() > MAX_USER_NAME) {
            throw new ServiceException.BadInput(
                    "field 'user.name' is " + userName.length() + " characters; the limit is " + MAX_USER_NAME);
        }
        Optional<String> owner = owner(conversationId);
        if (owner.isEmpty()) {
            String shown = conversationId.length() > 80 ? conversationId.substring(0, 80) + "…" : conversationId;
            throw new ServiceException.BadInput("field 'conversation_id' must be " + FORMS + ", got '" + shown + "'");
        }
        if (!owner.get().equals(userId) && !shared(conversationId)) {
            throw new ServiceException.Forbidden("conversation '" + conversationId + "' belongs to user '" + owner.get()
                    + "', not to user.id '" + userId + "'");
        }
    }
}
