package dev.jerry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of the {@link DiscordDouble}'s guild channels and threads, as Discord keeps and sends them: users'
 * messages as {@code MESSAGE_CREATE} (with {@code mentions}, {@code message_reference} and {@code referenced_message}
 * for replies), the bot's messages and edits through REST, {@code GET} of one message, and threads opened on a
 * message ({@code POST channels/{c}/messages/{m}/threads}, then {@code THREAD_CREATE}).
 *
 * <p>Discord's intent rules hold: guild messages reach the bot only with GUILD_MESSAGES, and their content (in the
 * gateway and over REST) is empty unless the bot has MESSAGE_CONTENT, wrote the message, or is mentioned in it.
 */
public final class GuildChat {
    static final long GUILD_MESSAGES = 1L << 9;
    static final long MESSAGE_CONTENT = 1L << 15;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_MENTION = Pattern.compile("<@!?(\\d+)>");

    /** A message in a guild channel or thread as it stands now; {@code replyTo} is null for a plain message. */
    public record Posted(String id, long channel, long author, String content, String replyTo, int writes) {}

    /** A thread the bot opened: its id, the channel it is in, its name and the message it was opened on. */
    public record Thread(long id, long parent, String name, String fromMessage) {}

    private final DiscordDouble discord;
    private final Map<String, Map<String, Object>> messages = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> writes = new ConcurrentHashMap<>();
    /** The components (buttons in action rows) the bot last set on a message, by message id. */
    private final Map<String, JsonNode> components = new ConcurrentHashMap<>();

    private final Map<Long, Thread> threads = new ConcurrentHashMap<>();

    GuildChat(DiscordDouble discord) {
        this.discord = discord;
    }

    // ---- what users do -----------------------------------------------------------------------------------------

    /** A user writes in a guild channel or thread; {@code <@id>} in the text mentions that user (the bot: Jerry). */
    public String say(long user, long channel, String content) {
        return post(user, channel, content, null, false, List.of());
    }

    /** A user writes with files attached (from {@link DiscordDouble#upload}); Discord shows them only as it shows text. */
    public String say(long user, long channel, String content, List<DiscordDouble.Attachment> files) {
        return post(user, channel, content, null, false, files);
    }

    /** A user replies to a message; {@code ping} keeps Discord's "@ mention" of the replied-to author on. */
    public String reply(long user, long channel, String messageId, String content, boolean ping) {
        if (!messages.containsKey(messageId)) {
            throw new IllegalArgumentException("no message " + messageId + " in the guild's channels");
        }
        return post(user, channel, content, messageId, ping, List.of());
    }

    // ---- what tests read ---------------------------------------------------------------------------------------

    /** The custom ids of the buttons the bot put on message {@code id}; empty if none. */
    public List<String> buttons(String id) {
        return components.getOrDefault(id, JSON.createArrayNode()).findValuesAsText("custom_id");
    }

    /** Every message of the channel (users' and the bot's) in the order they were posted. */
    public List<Posted> posted(long channel) {
        return order.stream()
                .map(messages::get)
                .filter(m -> m.get("channel_id").equals(String.valueOf(channel)))
                .map(this::posted)
                .toList();
    }

    /** The bot's messages in the channel. */
    public List<Posted> fromBot(long channel) {
        return posted(channel).stream()
                .filter(p -> p.author() == DiscordDouble.APP_ID)
                .toList();
    }

    public Optional<Posted> message(String id) {
        return Optional.ofNullable(messages.get(id)).map(this::posted);
    }

    /** The threads the bot opened, in no particular order. */
    public List<Thread> threads() {
        return List.copyOf(threads.values());
    }

    // ---- the bot's REST calls ----------------------------------------------------------------------------------

    /** Whether a channel id is one of the guild's text channels or threads (else it is a DM channel). */
    boolean owns(long channel) {
        return channel == DiscordDouble.CHANNEL_ID
                || channel == DiscordDouble.OTHER_CHANNEL_ID
                || threads.containsKey(channel);
    }

    void create(Context ctx) throws Exception {
        long channel = Long.parseLong(ctx.pathParam("channel"));
        JsonNode body = JSON.readTree(ctx.body());
        String content = body.path("content").asText("");
        if (content.length() > 2000) {
            ctx.status(400).json(Map.of("message", "Invalid Form Body", "code", 50035));
            return;
        }
        String replyTo = body.path("message_reference").path("message_id").asText(null);
        if (replyTo != null
                && !messages.containsKey(replyTo)
                && body.path("message_reference").path("fail_if_not_exists").asBoolean(true)) {
            ctx.status(400).json(Map.of("message", "Invalid Form Body", "code", 50035));
            return;
        }
        boolean ping = replyTo != null
                && body.path("allowed_mentions").path("replied_user").asBoolean(true);
        boolean replies = replyTo != null && messages.containsKey(replyTo);
        String id = store(DiscordDouble.APP_ID, channel, content, replies ? replyTo : null, ping);
        if (body.has("components")) {
            components.put(id, body.get("components"));
        }
        ctx.json(visible(messages.get(id), true));
    }

    void edit(Context ctx) throws Exception {
        Map<String, Object> message = messages.get(ctx.pathParam("message"));
        if (message == null || !message.get("channel_id").equals(ctx.pathParam("channel"))) {
            ctx.status(404).json(Map.of("message", "Unknown Message", "code", 10008));
            return;
        }
        JsonNode body = JSON.readTree(ctx.body());
        if (body.has("components")) {
            components.put(ctx.pathParam("message"), body.get("components"));
        }
        synchronized (message) {
            message.put("content", body.path("content").asText(""));
            message.put("edited_timestamp", Instant.now().toString());
        }
        writes.merge(ctx.pathParam("message"), 1, Integer::sum);
        ctx.json(visible(message, true));
    }

    void get(Context ctx) {
        Map<String, Object> message = messages.get(ctx.pathParam("message"));
        if (message == null || !message.get("channel_id").equals(ctx.pathParam("channel"))) {
            ctx.status(404).json(Map.of("message", "Unknown Message", "code", 10008));
            return;
        }
        ctx.json(visible(message, true));
    }

    void startThread(Context ctx) throws Exception {
        long parent = Long.parseLong(ctx.pathParam("channel"));
        String name = JSON.readTree(ctx.body()).path("name").asText("");
        if (name.isEmpty() || name.length() > 100) {
            ctx.status(400).json(Map.of("message", "Invalid Form Body (name: 1 to 100 characters)", "code", 50035));
            return;
        }
        long id = discord.nextId();
        threads.put(id, new Thread(id, parent, name, ctx.pathParam("message")));
        Map<String, Object> thread = thread(id, parent, name);
        ctx.json(thread);
        Map<String, Object> event = new LinkedHashMap<>(thread);
        event.put("newly_created", true);
        discord.dispatchToGuild("THREAD_CREATE", event);
    }

    // ---- entities ----------------------------------------------------------------------------------------------

    private String post(
            long user,
            long channel,
            String content,
            String replyTo,
            boolean ping,
            List<DiscordDouble.Attachment> files) {
        if (!owns(channel)) {
            throw new IllegalArgumentException("channel " + channel + " is not one of the guild's channels or threads");
        }
        String id = store(user, channel, content, replyTo, ping);
        if (!files.isEmpty()) {
            Map<String, Object> stored = messages.get(id);
            synchronized (stored) {
                stored.put(
                        "attachments",
                        files.stream().map(DiscordDouble.Attachment::json).toList());
            }
        }
        if ((discord.intents() & GUILD_MESSAGES) != 0) {
            Map<String, Object> event = visible(messages.get(id), true);
            event.put("member", memberOf(user));
            discord.dispatchToGuild("MESSAGE_CREATE", event);
        }
        return id;
    }

    private String store(long author, long channel, String content, String replyTo, boolean ping) {
        String id = String.valueOf(discord.nextId());
        Map<String, Object> message = new LinkedHashMap<>(DiscordDouble.message(
                id,
                channel,
                author == DiscordDouble.APP_ID ? DiscordDouble.botUser() : DiscordDouble.user(author),
                content));
        message.put("guild_id", String.valueOf(DiscordDouble.GUILD_ID));
        List<Map<String, Object>> mentions = new ArrayList<>();
        Set<Long> seen = new java.util.HashSet<>();
        Matcher m = USER_MENTION.matcher(content);
        while (m.find()) {
            long mentioned = Long.parseLong(m.group(1));
            if (seen.add(mentioned)) {
                mentions.add(
                        mentioned == DiscordDouble.APP_ID ? DiscordDouble.botUser() : DiscordDouble.user(mentioned));
            }
        }
        if (replyTo != null) {
            long repliedAuthor = authorOf(messages.get(replyTo));
            if (ping && seen.add(repliedAuthor)) {
                mentions.add(
                        repliedAuthor == DiscordDouble.APP_ID
                                ? DiscordDouble.botUser()
                                : DiscordDouble.user(repliedAuthor));
            }
            message.put("type", 19);
            message.put(
                    "message_reference",
                    Map.of(
                            "type",
                            0,
                            "message_id",
                            replyTo,
                            "channel_id",
                            String.valueOf(channel),
                            "guild_id",
                            String.valueOf(DiscordDouble.GUILD_ID)));
            message.put("referenced_message_id", replyTo); // resolved when sent, as Discord does
        }
        message.put("mentions", mentions);
        messages.put(id, message);
        order.add(id);
        writes.put(id, 1);
        return id;
    }

    /**
     * The message as the bot may see it: without MESSAGE_CONTENT, the content of others' messages that do not mention
     * it is empty. {@code withParent}: a reply carries the message it replies to (one level, as Discord sends it).
     */
    private Map<String, Object> visible(Map<String, Object> stored, boolean withParent) {
        Map<String, Object> copy;
        synchronized (stored) {
            copy = new LinkedHashMap<>(stored);
        }
        Object parentId = copy.remove("referenced_message_id");
        if (!readable(copy)) {
            // without MESSAGE_CONTENT Discord empties content, attachments, embeds and components alike
            copy.put("content", "");
            copy.put("attachments", List.of());
        }
        if (withParent && parentId != null) {
            Map<String, Object> parent = messages.get(parentId.toString());
            copy.put("referenced_message", parent == null ? null : visible(parent, false));
        }
        return copy;
    }

    private boolean readable(Map<String, Object> message) {
        if ((discord.intents() & MESSAGE_CONTENT) != 0 || authorOf(message) == DiscordDouble.APP_ID) {
            return true;
        }
        Object mentions = message.get("mentions");
        return mentions instanceof List<?> list
                && list.stream()
                        .anyMatch(u -> u instanceof Map<?, ?> user
                                && String.valueOf(DiscordDouble.APP_ID).equals(user.get("id")));
    }

    private static long authorOf(Map<String, Object> message) {
        @SuppressWarnings("unchecked")
        Map<String, Object> author = (Map<String, Object>) message.get("author");
        return Long.parseLong(author.get("id").toString());
    }

    private Posted posted(Map<String, Object> message) {
        synchronized (message) {
            Object reference = message.get("referenced_message_id");
            return new Posted(
                    message.get("id").toString(),
                    Long.parseLong(message.get("channel_id").toString()),
                    authorOf(message),
                    message.get("content").toString(),
                    reference == null ? null : reference.toString(),
                    writes.getOrDefault(message.get("id").toString(), 1));
        }
    }

    /** The member part of a guild MESSAGE_CREATE: the author's member without the user object. */
    private static Map<String, Object> memberOf(long user) {
        Map<String, Object> member = new LinkedHashMap<>(DiscordDouble.member(user));
        member.remove("user");
        return member;
    }

    private static Map<String, Object> thread(long id, long parent, String name) {
        String now = Instant.now().toString();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("archived", false);
        metadata.put("auto_archive_duration", 1440);
        metadata.put("archive_timestamp", now);
        metadata.put("locked", false);
        metadata.put("create_timestamp", now);
        Map<String, Object> thread = new LinkedHashMap<>();
        thread.put("id", String.valueOf(id));
        thread.put("type", 11);
        thread.put("guild_id", String.valueOf(DiscordDouble.GUILD_ID));
        thread.put("parent_id", String.valueOf(parent));
        thread.put("owner_id", String.valueOf(DiscordDouble.APP_ID));
        thread.put("name", name);
        thread.put("last_message_id", null);
        thread.put("message_count", 0);
        thread.put("member_count", 1);
        thread.put("total_message_sent", 0);
        thread.put("rate_limit_per_user", 0);
        thread.put("flags", 0);
        thread.put("thread_metadata", metadata);
        return thread;
    }
}
