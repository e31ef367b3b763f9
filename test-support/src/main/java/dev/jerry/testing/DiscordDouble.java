package dev.jerry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Discord for tests, on loopback: the REST API (v10) and the gateway websocket, speaking Discord's JSON so that the
 * real JDA logs in to it. One guild with two text channels, a member role and an admin role, and three users.
 *
 * <p>Tests send what users do ({@link #slash}, {@link #dm}) as gateway events and read back what the bot did through
 * REST: interaction callbacks, edits of the original response, follow-ups, typing and DM messages, each with its time.
 * {@link #dropGateway()} cuts the websocket like a network failure; JDA then resumes, and events sent meanwhile are
 * replayed as Discord does. Messages in the guild's channels and threads (mentions, replies, threads the bot opens)
 * are {@link #guildChat()}'s.
 */
public final class DiscordDouble implements AutoCloseable {
    public static final String TOKEN = "Bot-token-for-the-discord-double";
    public static final long APP_ID = 1_100_000_000_000_001L;
    public static final long GUILD_ID = 1_200_000_000_000_001L;
    public static final long CHANNEL_ID = 1_200_000_000_000_101L;
    public static final long OTHER_CHANNEL_ID = 1_200_000_000_000_102L;
    public static final long MEMBER_ROLE_ID = 1_200_000_000_000_201L;
    public static final long ADMIN_ROLE_ID = 1_200_000_000_000_202L;
    public static final long ALICE = 1_300_000_000_000_001L;
    public static final long BOB = 1_300_000_000_000_002L;
    public static final long ADMIN = 1_300_000_000_000_003L;
    /** A category (channel type 4) holding {@link #CATEGORIZED_CHANNEL_ID}, which holds the thread {@link #CATEGORIZED_THREAD_ID}. */
    public static final long CATEGORY_ID = 1_200_000_000_000_301L;

    public static final long CATEGORIZED_CHANNEL_ID = 1_200_000_000_000_302L;
    public static final long CATEGORIZED_THREAD_ID = 1_200_000_000_000_303L;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT: the intents an application must be granted. */
    private static final long PRIVILEGED_INTENTS = (1L << 1) | (1L << 8) | (1L << 15);

    private static final String ADMINISTRATOR = String.valueOf(1L << 3);
    // view, send, read history, use commands, create public threads, send in threads
    private static final String EVERYONE_PERMISSIONS =
            String.valueOf((1L << 10) | (1L << 11) | (1L << 16) | (1L << 31) | (1L << 35) | (1L << 38));

    /** A REST request the bot made, with the time it arrived. */
    public record Call(String method, String path, JsonNode body, Instant at) {}

    /** A message as it stands now: its content, and how often it was written (1 = created, never edited). */
    public record Message(String id, String content, int writes, boolean ephemeral) {}

    /**
     * A file a user attached, as Discord describes it in {@code attachments[]} of a message and in
     * {@code resolved.attachments} of an interaction; its bytes are served at {@code url}, as Discord's CDN serves them.
     */
    public record Attachment(String id, String filename, String contentType, int size, String url) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("filename", filename);
            json.put("size", size);
            json.put("url", url);
            json.put("proxy_url", url);
            if (contentType != null) {
                json.put("content_type", contentType);
            }
            return json;
        }
    }

    /** One write of the bot to an interaction's messages: which message (0 = the original), its content, when. */
    public record Write(int index, String content, Instant at) {}

    private final Javalin app;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> commands = new ConcurrentHashMap<>();
    private final Map<String, Exchange> interactions = new ConcurrentHashMap<>();
    private final Map<Long, List<Message>> dmMessages = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger identifies = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private final Map<Integer, Shard> shards = new ConcurrentHashMap<>();
    private final List<String> identified = new CopyOnWriteArrayList<>();
    private volatile int shardTotal = 1;
    private final Map<String, JsonNode> components = new ConcurrentHashMap<>();
    private final Map<String, Map<String, byte[]>> files = new ConcurrentHashMap<>();
    private volatile long intents;
    private volatile boolean privilegedIntentsOff;
    private final GuildChat guildChat = new GuildChat(this);

    /** One gateway session: a shard's connection (null while it is cut), its sequence and what it was sent. */
    private static final class Shard {
        final int id;
        final String sessionId = UUID.randomUUID().toString();
        final List<ObjectNode> sent = new ArrayList<>();
        volatile WsContext ws;
        volatile boolean open;
        int sequence;

        Shard(int id) {
            this.id = id;
        }
    }

    /** What one interaction received: the callback (ack), then the original response and follow-ups in order. */
    private static final class Exchange {
        final String token;
        final Instant sentAt;
        volatile Instant ackAt;
        volatile int callbackType;
        volatile boolean ephemeral;
        volatile JsonNode callback;
        volatile long channel = CHANNEL_ID;
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final List<Write> writes = new CopyOnWriteArrayList<>();

        Exchange(String token) {
            this.token = token;
            this.sentAt = Instant.now();
        }
    }

    /** A handle on an interaction the test sent. */
    public final class Interaction {
        private final Exchange exchange;

        private Interaction(Exchange exchange) {
            this.exchange = exchange;
        }

        public String token() {
            return exchange.token;
        }

        public Instant sentAt() {
            return exchange.sentAt;
        }

        /** When the bot acknowledged it (deferred or replied), if it did. */
        public Optional<Instant> ackAt() {
            return Optional.ofNullable(exchange.ackAt);
        }

        /** 4 = replied at once, 5 = deferred. */
        public int callbackType() {
            return exchange.callbackType;
        }

        public boolean ephemeral() {
            return exchange.ephemeral;
        }

        /** The body of the bot's callback: for an autocomplete (type 8), {@code data.choices}. */
        public JsonNode callback() {
            return exchange.callback == null ? JSON.nullNode() : exchange.callback;
        }

        /** The components (buttons in action rows) message {@code index} shows now; an empty array if none. */
        public JsonNode components(int index) {
            List<Message> all = exchange.messages;
            return index < all.size()
                    ? components.getOrDefault(all.get(index).id(), JSON.createArrayNode())
                    : JSON.createArrayNode();
        }

        /** The files the bot attached to message {@code index}, by file name. */
        public Map<String, byte[]> files(int index) {
            List<Message> all = exchange.messages;
            return index < all.size() ? files.getOrDefault(all.get(index).id(), Map.of()) : Map.of();
        }

        /** The original response followed by the follow-ups, as they stand now. */
        public List<Message> messages() {
            return List.copyOf(exchange.messages);
        }

        /** Every write in order (the reply, each edit, each follow-up). */
        public List<Write> writes() {
            return List.copyOf(exchange.writes);
        }

        /** All messages' text joined, as a user reading the thread would see it. */
        public String text() {
            return String.join(
                    "\n", exchange.messages.stream().map(Message::content).toList());
        }

        /** Waits until the condition on this interaction holds. */
        public Interaction await(java.util.function.Predicate<Interaction> condition, Duration timeout) {
            DiscordDouble.await(
                    () -> condition.test(this), timeout, () -> "interaction " + token() + ": " + messages());
            return this;
        }
    }

    private DiscordDouble() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            // Discord's heartbeat interval is longer than Jetty's default websocket idle timeout
            cfg.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(5)));
            cfg.routes.before("/api/*", ctx -> {
                calls.add(new Call(
                        ctx.method().name(),
                        ctx.path(),
                        multipart(ctx) ? JSON.nullNode() : bodyOf(ctx),
                        Instant.now()));
                if (!("Bot " + TOKEN).equals(ctx.header("Authorization"))
                        && !ctx.path().startsWith("/api/v10/interactions/")
                        && !ctx.path().startsWith("/api/v10/webhooks/")) {
                    ctx.status(401).json(Map.of("message", "401: Unauthorized", "code", 0));
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.get("/api/v10/users/@me", ctx -> ctx.json(botUser()));
            cfg.routes.get(
                    "/api/v10/gateway/bot",
                    ctx -> ctx.json(Map.of(
                            "url",
                            gatewayUrl(),
                            "shards",
                            1,
                            "session_start_limit",
                            Map.of("total", 1000, "remaining", 999, "reset_after", 0, "max_concurrency", 1))));
            cfg.routes.get("/api/v10/gateway", ctx -> ctx.json(Map.of("url", gatewayUrl())));
            cfg.routes.put("/api/v10/applications/{app}/commands", this::putCommands);
            cfg.routes.post("/api/v10/interactions/{id}/{token}/callback", this::callback);
            cfg.routes.patch("/api/v10/webhooks/{app}/{token}/messages/{message}", this::editWebhookMessage);
            cfg.routes.post("/api/v10/webhooks/{app}/{token}", this::followUp);
            cfg.routes.post("/api/v10/channels/{channel}/typing", ctx -> ctx.status(204));
            cfg.routes.post("/api/v10/channels/{channel}/messages", ctx -> {
                if (guildChat.owns(Long.parseLong(ctx.pathParam("channel")))) {
                    guildChat.create(ctx);
                } else {
                    createDmMessage(ctx);
                }
            });
            cfg.routes.patch("/api/v10/channels/{channel}/messages/{message}", ctx -> {
                if (guildChat.owns(Long.parseLong(ctx.pathParam("channel")))) {
                    guildChat.edit(ctx);
                } else {
                    editDmMessage(ctx);
                }
            });
            cfg.routes.get("/api/v10/channels/{channel}/messages/{message}", guildChat::get);
            cfg.routes.post("/api/v10/channels/{channel}/messages/{message}/threads", guildChat::startThread);
            cfg.routes.get("/attachments/{channel}/{id}/{filename}", this::cdn);
            cfg.routes.ws("/gateway", ws -> {
                ws.onConnect(ctx -> send(ctx, Map.of("op", 10, "d", Map.of("heartbeat_interval", 41250))));
                ws.onMessage(ctx -> onGatewayMessage(ctx, JSON.readTree(ctx.message())));
                ws.onClose(ctx -> shards.values().forEach(shard -> {
                    if (shard.ws == ctx) {
                        shard.ws = null;
                        shard.open = false;
                    }
                }));
            });
        });
    }

    /** A snowflake of now: JDA derives an interaction's age (it expires after 15 minutes) from its id. */
    long nextId() {
        long sinceDiscordEpoch = System.currentTimeMillis() - 1_420_070_400_000L;
        return (sinceDiscordEpoch << 22) | (ids.incrementAndGet() & 0x3F_FFFF);
    }

    public static DiscordDouble start() {
        DiscordDouble discord = new DiscordDouble();
        discord.app.start("127.0.0.1", 0);
        return discord;
    }

    /** The REST base JDA's {@code RestConfig.setBaseUrl} takes. */
    public String restUrl() {
        return "http://127.0.0.1:" + app.port() + "/api/v10/";
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + app.port() + "/gateway";
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Messages in the guild's channels and threads: users' mentions and replies, the bot's answers, threads. */
    public GuildChat guildChat() {
        return guildChat;
    }

    /** From now on, an IDENTIFY asking a privileged intent is closed with 4014, as when the portal has it off. */
    public DiscordDouble refusePrivilegedIntents() {
        privilegedIntentsOff = true;
        return this;
    }

    /** The gateway intents of the last IDENTIFY. */
    public long intents() {
        return intents;
    }

    /** The slash commands the bot registered, by name. */
    public Map<String, JsonNode> commands() {
        return Map.copyOf(commands);
    }

    public int identifies() {
        return identifies.get();
    }

    public int resumes() {
        return resumes.get();
    }

    /** Whether every shard has completed its handshake (READY or RESUMED) and is connected. */
    public boolean connected() {
        int total = shardTotal;
        for (int i = 0; i < total; i++) {
            Shard shard = shards.get(i);
            if (shard == null || !shard.open) {
                return false;
            }
        }
        return true;
    }

    /** The {@code [shard, total]} of every IDENTIFY received, in order. */
    public List<String> identified() {
        return List.copyOf(identified);
    }

    /** The shard that receives this guild's events, as Discord routes them. */
    public static int shardOf(long guild, int total) {
        return (int) ((guild >> 22) % total);
    }

    // ---- what users do -----------------------------------------------------------------------------------------

    /** A user runs a slash command in the guild channel; options are string or boolean values by name. */
    public Interaction slash(String command, Map<String, Object> options, long user, long channel) {
        return interact(command, null, options, user, channel);
    }

    /** A user runs a subcommand ({@code /jerry-admin pull model:x}). */
    public Interaction slash(String command, String subcommand, Map<String, Object> options, long user, long channel) {
        return interact(command, subcommand, options, user, channel);
    }

    /**
     * A user types into an autocomplete option of a subcommand ({@code focused}, whose value so far is in
     * {@code options}); returns the values the bot offers.
     */
    public List<String> autocompleteChoices(
            String command, String subcommand, Map<String, Object> options, String focused, long user, long channel) {
        Exchange exchange = autocomplete(command, subcommand, options, focused, user, channel).exchange;
        await(() -> exchange.callback != null, Duration.ofSeconds(10), () -> "autocomplete choices for " + focused);
        List<String> offered = new ArrayList<>();
        exchange.callback
                .path("data")
                .path("choices")
                .forEach(c -> offered.add(c.path("value").asText()));
        return List.copyOf(offered);
    }

    private Interaction interact(
            String command, String subcommand, Map<String, Object> options, long user, long channel) {
        return dispatchInteraction(2, commandData(command, subcommand, options, null), user, channel, null);
    }

    /** An application command's {@code data}, with the option being typed into marked {@code focused}. */
    private Map<String, Object> commandData(
            String command, String subcommand, Map<String, Object> options, String focused) {
        JsonNode registered = commands.get(command);
        if (registered == null) {
            throw new IllegalStateException("the bot did not register /" + command + "; it has " + commands.keySet());
        }
        List<Map<String, Object>> shaped = new ArrayList<>();
        Map<String, Object> attached = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            Map<String, Object> option = new LinkedHashMap<>();
            option.put("name", name);
            if (value instanceof Attachment file) {
                // an ATTACHMENT option (type 11) holds the attachment's id; the attachment itself is in resolved
                option.put("type", 11);
                option.put("value", file.id());
                attached.put(file.id(), file.json());
            } else {
                option.put("type", value instanceof Boolean ? 5 : 3);
                option.put("value", value);
            }
            if (name.equals(focused)) {
                option.put("focused", true);
            }
            shaped.add(option);
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", registered.path("id").asText());
        data.put("name", command);
        data.put("type", 1);
        data.put(
                "options",
                subcommand == null ? shaped : List.of(Map.of("name", subcommand, "type", 1, "options", shaped)));
        if (!attached.isEmpty()) {
            data.put("resolved", Map.of("attachments", attached));
        }
        return data;
    }

    /**
     * A user clicks a button (component type 2) under message {@code index} of an interaction's answer: an
     * INTERACTION_CREATE of type 3 carrying the message, as Discord sends it.
     */
    public Interaction click(Interaction answered, int index, String customId, long user) {
        Message clicked = answered.messages().get(index);
        Map<String, Object> message = message(clicked.id(), answered.exchange.channel, botUser(), clicked.content());
        message.put("components", components.getOrDefault(clicked.id(), JSON.createArrayNode()));
        message.put("application_id", String.valueOf(APP_ID));
        message.put("webhook_id", String.valueOf(APP_ID));
        message.put("flags", clicked.ephemeral() ? 64 : 0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("custom_id", customId);
        data.put("component_type", 2);
        return dispatchInteraction(3, data, user, answered.exchange.channel, message);
    }

    /**
     * A user types into an option with autocomplete: an INTERACTION_CREATE of type 4 whose {@code focused} option is
     * {@code focused}; the bot answers with callback type 8 and {@code data.choices} ({@link Interaction#callback()}).
     */
    public Interaction autocomplete(
            String command, String subcommand, Map<String, Object> options, String focused, long user, long channel) {
        return dispatchInteraction(4, commandData(command, subcommand, options, focused), user, channel, null);
    }

    private Interaction dispatchInteraction(
            int type, Map<String, Object> data, long user, long channel, Map<String, Object> message) {
        String token = "itoken-" + UUID.randomUUID();
        Exchange exchange = new Exchange(token);
        exchange.channel = channel;
        interactions.put(token, exchange);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", String.valueOf(nextId()));
        d.put("application_id", String.valueOf(APP_ID));
        d.put("type", type);
        d.put("data", data);
        d.put("guild_id", String.valueOf(GUILD_ID));
        d.put("guild", Map.of("id", String.valueOf(GUILD_ID), "locale", "en-US", "features", List.of()));
        d.put("guild_locale", "en-US");
        d.put("channel_id", String.valueOf(channel));
        d.put("channel", channelObject(channel));
        d.put("member", member(user));
        if (message != null) {
            d.put("message", message);
        }
        d.put("token", token);
        d.put("version", 1);
        d.put("locale", "en-US");
        d.put("app_permissions", "2248473465835073");
        d.put("entitlements", List.of());
        d.put("authorizing_integration_owners", Map.of("0", String.valueOf(GUILD_ID)));
        d.put("context", 0);
        dispatch(shardOf(GUILD_ID, shardTotal), "INTERACTION_CREATE", d);
        return new Interaction(exchange);
    }

    /**
     * A file a user uploads in {@code channel}: kept and served at its CDN URL; pass it as a slash command's option
     * value or with a DM.
     */
    public Attachment upload(long channel, String filename, String contentType, byte[] bytes) {
        String id = String.valueOf(nextId());
        uploads.put(id, bytes.clone());
        return new Attachment(
                id,
                filename,
                contentType,
                bytes.length,
                baseUrl() + "/attachments/" + channel + "/" + id + "/" + filename + "?ex=0&is=0&hm=test");
    }

    private void cdn(Context ctx) {
        byte[] bytes = uploads.get(ctx.pathParam("id"));
        if (bytes == null) {
            ctx.status(404).result("Not Found");
            return;
        }
        ctx.contentType("application/octet-stream").result(bytes);
    }

    /** A user sends the bot a direct message; returns the DM channel's id. */
    public long dm(long user, String content) {
        return dm(user, content, List.of());
    }

    /** A user sends the bot a direct message with files ({@link #upload} them to {@link #dmChannel} first). */
    public long dm(long user, String content, List<Attachment> attachments) {
        long channel = dmChannel(user);
        Map<String, Object> d = message(String.valueOf(nextId()), channel, user(user), content);
        d.put("attachments", attachments.stream().map(Attachment::json).toList());
        d.put("channel_type", 1);
        dispatch(0, "MESSAGE_CREATE", d); // DMs go to shard 0
        return channel;
    }

    /** The messages the bot sent in the DM channel with this user, as they stand now. */
    public List<Message> dmReplies(long user) {
        return List.copyOf(dmMessages.getOrDefault(dmChannel(user), List.of()));
    }

    /** How often the bot showed "typing" in the DM with this user. */
    public long typing(long user) {
        String path = "/api/v10/channels/" + dmChannel(user) + "/typing";
        return calls.stream().filter(c -> c.path().equals(path)).count();
    }

    public static long dmChannel(long user) {
        return user + 7_000_000_000L;
    }

    /** Cuts the gateway connection as a network failure would; JDA reconnects and resumes. */
    public void dropGateway() {
        for (Shard shard : shards.values()) {
            WsContext ws = shard.ws;
            if (ws != null) {
                shard.open = false;
                shard.ws = null;
                ws.closeSession(4000, "connection lost (Discord double)");
            }
        }
    }

    public void awaitConnected(Duration timeout) {
        await(this::connected, timeout, () -> "the bot never completed its gateway handshake");
    }

    public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    // ---- gateway ----------------------------------------------------------------------------------------------

    private void onGatewayMessage(WsContext ctx, JsonNode payload) {
        JsonNode d = payload.path("d");
        switch (payload.path("op").asInt()) {
            case 1 -> send(ctx, Map.of("op", 11));
            case 2 -> {
                if (!TOKEN.equals(d.path("token").asText())) {
                    ctx.closeSession(4004, "Authentication failed.");
                    return;
                }
                int id = d.path("shard").path(0).asInt(0);
                int total = d.path("shard").path(1).asInt(1);
                identifies.incrementAndGet();
                intents = d.path("intents").asLong();
                if (privilegedIntentsOff && (intents & PRIVILEGED_INTENTS) != 0) {
                    ctx.closeSession(4014, "Disallowed intent(s).");
                    return;
                }
                identified.add("[" + id + ", " + total + "]");
                shardTotal = total;
                Shard shard = new Shard(id);
                shard.ws = ctx;
                shards.put(id, shard);
                boolean hasGuild = shardOf(GUILD_ID, total) == id;
                Map<String, Object> ready = new LinkedHashMap<>();
                ready.put("v", 10);
                ready.put("user", botUser());
                ready.put(
                        "guilds",
                        hasGuild ? List.of(Map.of("id", String.valueOf(GUILD_ID), "unavailable", true)) : List.of());
                ready.put("private_channels", List.of());
                ready.put("session_id", shard.sessionId);
                ready.put("resume_gateway_url", gatewayUrl());
                ready.put("application", Map.of("id", String.valueOf(APP_ID), "flags", 0));
                ready.put("shard", List.of(id, total));
                sendDispatch(shard, "READY", ready);
                if (hasGuild) {
                    sendDispatch(shard, "GUILD_CREATE", guild());
                }
                shard.open = true;
            }
            case 6 -> {
                Shard shard = shards.values().stream()
                        .filter(x -> x.sessionId.equals(d.path("session_id").asText()))
                        .findFirst()
                        .orElse(null);
                if (shard == null) {
                    send(ctx, Map.of("op", 9, "d", false)); // invalid session: identify again
                    return;
                }
                resumes.incrementAndGet();
                long seen = d.path("seq").asLong();
                List<ObjectNode> missed;
                synchronized (shard) {
                    shard.ws = ctx;
                    missed = shard.sent.stream()
                            .filter(e -> e.path("s").asLong() > seen)
                            .toList();
                }
                missed.forEach(e -> send(ctx, e));
                sendDispatch(shard, "RESUMED", Map.of());
                shard.open = true;
            }
            default -> {
                // presence updates, request guild members...: nothing to do
            }
        }
    }

    /** Sends an event to the shard of the guild. */
    void dispatchToGuild(String type, Map<String, Object> d) {
        dispatch(shardOf(GUILD_ID, shardTotal), type, d);
    }

    /** Sends an event to a shard, or keeps it for the shard's resume while its connection is cut (as Discord does). */
    private void dispatch(int shardId, String type, Map<String, Object> d) {
        Shard shard = shards.get(shardId);
        if (shard == null) {
            throw new IllegalStateException("shard " + shardId + " never identified");
        }
        sendDispatch(shard, type, d);
    }

    private void sendDispatch(Shard shard, String type, Map<String, Object> d) {
        ObjectNode event;
        WsContext ws;
        synchronized (shard) {
            event = JSON.createObjectNode();
            event.put("op", 0).put("t", type).put("s", ++shard.sequence).set("d", JSON.valueToTree(d));
            shard.sent.add(event);
            ws = shard.ws;
        }
        if (ws != null) {
            send(ws, event);
        }
    }

    private static void send(WsContext ws, Object payload) {
        try {
            ws.send(JSON.writeValueAsString(payload));
        } catch (Exception e) {
            // the socket closed under us: the event stays in sentEvents for a resume
        }
    }

    // ---- REST -------------------------------------------------------------------------------------------------

    private void putCommands(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        List<JsonNode> answer = new ArrayList<>();
        commands.clear();
        for (JsonNode command : body) {
            ObjectNode registered = command.deepCopy();
            registered.put("id", String.valueOf(nextId()));
            registered.put("application_id", String.valueOf(APP_ID));
            registered.put("version", String.valueOf(nextId()));
            if (!registered.has("type")) {
                registered.put("type", 1);
            }
            commands.put(command.path("name").asText(), registered);
            answer.add(registered);
        }
        ctx.json(answer);
    }

    private void callback(Context ctx) throws Exception {
        Exchange exchange = interactions.get(ctx.pathParam("token"));
        if (exchange == null) {
            ctx.status(404).json(Map.of("message", "Unknown interaction", "code", 10062));
            return;
        }
        if (exchange.ackAt != null) {
            ctx.status(400).json(Map.of("message", "Interaction has already been acknowledged.", "code", 40060));
            return;
        }
        JsonNode body = multipart(ctx) ? JSON.readTree(ctx.formParam("payload_json")) : JSON.readTree(ctx.body());
        exchange.ackAt = Instant.now();
        exchange.callback = body;
        exchange.callbackType = body.path("type").asInt();
        if (exchange.callbackType == 8) {
            ctx.json(
                    Map.of("interaction", Map.of("id", ctx.pathParam("id"), "type", 4), "resource", Map.of("type", 8)));
            return;
        }
        exchange.ephemeral = (body.path("data").path("flags").asInt() & 64) != 0;
        String messageId = String.valueOf(nextId());
        String content = body.path("data").path("content").asText("");
        exchange.messages.add(new Message(messageId, content, exchange.callbackType == 4 ? 1 : 0, exchange.ephemeral));
        keepExtras(messageId, body.path("data"), ctx);
        if (exchange.callbackType == 4) {
            exchange.writes.add(new Write(0, content, Instant.now()));
        }
        ctx.json(Map.of(
                "interaction",
                Map.of("id", ctx.pathParam("id"), "type", 2, "response_message_id", messageId),
                "resource",
                Map.of("type", exchange.callbackType)));
    }

    private void editWebhookMessage(Context ctx) throws Exception {
        Exchange exchange = interactions.get(ctx.pathParam("token"));
        if (exchange == null || exchange.ackAt == null) {
            ctx.status(404).json(Map.of("message", "Unknown Webhook", "code", 10015));
            return;
        }
        JsonNode edit = multipart(ctx) ? JSON.readTree(ctx.formParam("payload_json")) : JSON.readTree(ctx.body());
        String content = edit.path("content").asText("");
        String target = ctx.pathParam("message");
        for (int i = 0; i < exchange.messages.size(); i++) {
            Message m = exchange.messages.get(i);
            if (target.equals("@original") ? i == 0 : m.id().equals(target)) {
                exchange.messages.set(i, new Message(m.id(), content, m.writes() + 1, m.ephemeral()));
                exchange.writes.add(new Write(i, content, Instant.now()));
                keepExtras(m.id(), edit, ctx);
                ctx.json(message(m.id(), DiscordDouble.CHANNEL_ID, botUser(), content));
                return;
            }
        }
        ctx.status(404).json(Map.of("message", "Unknown Message", "code", 10008));
    }

    private void followUp(Context ctx) throws Exception {
        Exchange exchange = interactions.get(ctx.pathParam("token"));
        if (exchange == null || exchange.ackAt == null) {
            ctx.status(404).json(Map.of("message", "Unknown Webhook", "code", 10015));
            return;
        }
        JsonNode body = multipart(ctx) ? JSON.readTree(ctx.formParam("payload_json")) : JSON.readTree(ctx.body());
        String id = String.valueOf(nextId());
        String content = body.path("content").asText("");
        exchange.messages.add(new Message(id, content, 1, (body.path("flags").asInt() & 64) != 0));
        keepExtras(id, body, ctx);
        exchange.writes.add(new Write(exchange.messages.size() - 1, content, Instant.now()));
        ctx.json(message(id, CHANNEL_ID, botUser(), content));
    }

    private void createDmMessage(Context ctx) throws Exception {
        long channel = Long.parseLong(ctx.pathParam("channel"));
        String content = JSON.readTree(ctx.body()).path("content").asText("");
        if (content.length() > 2000) {
            ctx.status(400).json(Map.of("message", "Invalid Form Body", "code", 50035));
            return;
        }
        String id = String.valueOf(nextId());
        dmMessages.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(new Message(id, content, 1, false));
        ctx.json(message(id, channel, botUser(), content));
    }

    private void editDmMessage(Context ctx) throws Exception {
        long channel = Long.parseLong(ctx.pathParam("channel"));
        String content = JSON.readTree(ctx.body()).path("content").asText("");
        List<Message> list = dmMessages.getOrDefault(channel, List.of());
        for (int i = 0; i < list.size(); i++) {
            Message m = list.get(i);
            if (m.id().equals(ctx.pathParam("message"))) {
                list.set(i, new Message(m.id(), content, m.writes() + 1, false));
                ctx.json(message(m.id(), channel, botUser(), content));
                return;
            }
        }
        ctx.status(404).json(Map.of("message", "Unknown Message", "code", 10008));
    }

    private static boolean multipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.startsWith("multipart/form-data");
    }

    /** A message write's components (when it sets them) and uploaded files. */
    private void keepExtras(String messageId, JsonNode body, Context ctx) {
        if (body.has("components")) {
            components.put(messageId, body.get("components"));
        }
        if (multipart(ctx)) {
            Map<String, byte[]> uploaded = new LinkedHashMap<>();
            ctx.uploadedFiles().forEach(f -> {
                try (var in = f.content()) {
                    uploaded.put(f.filename(), in.readAllBytes());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!uploaded.isEmpty()) {
                files.put(messageId, uploaded);
            }
        }
    }

    private static JsonNode bodyOf(Context ctx) {
        try {
            String body = ctx.body();
            return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(ctx.body());
        }
    }

    // ---- entities ---------------------------------------------------------------------------------------------

    static Map<String, Object> botUser() {
        Map<String, Object> user = user(APP_ID);
        user.put("bot", true);
        user.put("username", "Jerry");
        return user;
    }

    static Map<String, Object> user(long id) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", String.valueOf(id));
        user.put("username", id == ALICE ? "alice" : id == BOB ? "bob" : id == ADMIN ? "admin" : "user" + id);
        user.put("global_name", null);
        user.put("discriminator", "0");
        user.put("avatar", null);
        user.put("bot", false);
        return user;
    }

    static Map<String, Object> member(long id) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("user", user(id));
        member.put(
                "roles",
                id == ADMIN
                        ? List.of(String.valueOf(ADMIN_ROLE_ID))
                        : id == ALICE ? List.of(String.valueOf(MEMBER_ROLE_ID)) : List.of());
        member.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
        member.put("deaf", false);
        member.put("mute", false);
        member.put("flags", 0);
        member.put("pending", false);
        member.put("permissions", id == ADMIN ? ADMINISTRATOR : EVERYONE_PERMISSIONS);
        return member;
    }

    private static Map<String, Object> channel(long id) {
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("id", String.valueOf(id));
        channel.put("type", 0);
        channel.put("guild_id", String.valueOf(GUILD_ID));
        channel.put("name", id == CHANNEL_ID ? "general" : "random");
        channel.put("position", id == CHANNEL_ID ? 0 : 1);
        channel.put("permission_overwrites", List.of());
        channel.put("nsfw", false);
        channel.put("parent_id", null);
        channel.put("rate_limit_per_user", 0);
        channel.put("topic", null);
        channel.put("last_message_id", null);
        return channel;
    }

    /** A channel as Discord sends it: the two plain text channels, the category, its channel and that one's thread. */
    private static Map<String, Object> channelObject(long id) {
        if (id != CATEGORY_ID && id != CATEGORIZED_CHANNEL_ID && id != CATEGORIZED_THREAD_ID) {
            return channel(id);
        }
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("id", String.valueOf(id));
        channel.put("guild_id", String.valueOf(GUILD_ID));
        channel.put("permission_overwrites", List.of());
        channel.put("nsfw", false);
        channel.put("flags", 0);
        if (id == CATEGORY_ID) {
            channel.put("type", 4);
            channel.put("name", "help-desk");
            channel.put("position", 2);
            channel.put("parent_id", null);
            return channel;
        }
        channel.put("rate_limit_per_user", 0);
        channel.put("last_message_id", null);
        if (id == CATEGORIZED_CHANNEL_ID) {
            channel.put("type", 0);
            channel.put("name", "questions");
            channel.put("position", 3);
            channel.put("parent_id", String.valueOf(CATEGORY_ID));
            channel.put("topic", null);
            return channel;
        }
        channel.put("type", 11);
        channel.put("name", "boiler question");
        channel.put("parent_id", String.valueOf(CATEGORIZED_CHANNEL_ID));
        channel.put("owner_id", String.valueOf(ALICE));
        channel.put("message_count", 0);
        channel.put("member_count", 1);
        channel.put("total_message_sent", 0);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("archived", false);
        metadata.put("auto_archive_duration", 1440);
        metadata.put("archive_timestamp", "2026-01-01T00:00:00.000000+00:00");
        metadata.put("locked", false);
        metadata.put("create_timestamp", "2026-01-01T00:00:00.000000+00:00");
        channel.put("thread_metadata", metadata);
        return channel;
    }

    private static Map<String, Object> role(long id, String name, String permissions, int position) {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("id", String.valueOf(id));
        role.put("name", name);
        role.put("permissions", permissions);
        role.put("position", position);
        role.put("color", 0);
        Map<String, Object> colors = new LinkedHashMap<>();
        colors.put("primary_color", 0);
        colors.put("secondary_color", null);
        colors.put("tertiary_color", null);
        role.put("colors", colors);
        role.put("hoist", false);
        role.put("managed", false);
        role.put("mentionable", false);
        role.put("flags", 0);
        return role;
    }

    private static Map<String, Object> guild() {
        List<Map<String, Object>> members = List.of(member(APP_ID), member(ALICE), member(BOB), member(ADMIN));
        Map<String, Object> guild = new LinkedHashMap<>();
        guild.put("id", String.valueOf(GUILD_ID));
        guild.put("name", "Jerry test guild");
        guild.put("owner_id", String.valueOf(ADMIN));
        guild.put("unavailable", false);
        guild.put("large", false);
        guild.put("member_count", members.size());
        guild.put("afk_timeout", 300);
        guild.put("preferred_locale", "en-US");
        guild.put("features", List.of());
        guild.put("premium_progress_bar_enabled", false);
        guild.put("verification_level", 0);
        guild.put("default_message_notifications", 0);
        guild.put("explicit_content_filter", 0);
        guild.put("mfa_level", 0);
        guild.put("nsfw_level", 0);
        guild.put("premium_tier", 0);
        guild.put("system_channel_flags", 0);
        guild.put(
                "roles",
                List.of(
                        role(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS, 0),
                        role(MEMBER_ROLE_ID, "member", "0", 1),
                        role(ADMIN_ROLE_ID, "admin", ADMINISTRATOR, 2)));
        guild.put(
                "channels",
                List.of(
                        channel(CHANNEL_ID),
                        channel(OTHER_CHANNEL_ID),
                        channelObject(CATEGORY_ID),
                        channelObject(CATEGORIZED_CHANNEL_ID)));
        guild.put("members", members);
        guild.put("emojis", List.of());
        guild.put("stickers", List.of());
        guild.put("voice_states", List.of());
        guild.put("presences", List.of());
        guild.put("threads", List.of(channelObject(CATEGORIZED_THREAD_ID)));
        guild.put("stage_instances", List.of());
        guild.put("guild_scheduled_events", List.of());
        guild.put("soundboard_sounds", List.of());
        return guild;
    }

    static Map<String, Object> message(String id, long channel, Map<String, Object> author, String content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("channel_id", String.valueOf(channel));
        message.put("author", author);
        message.put("content", content);
        message.put("timestamp", Instant.now().toString());
        message.put("edited_timestamp", null);
        message.put("tts", false);
        message.put("mention_everyone", false);
        message.put("mentions", List.of());
        message.put("mention_roles", List.of());
        message.put("attachments", List.of());
        message.put("embeds", List.of());
        message.put("components", List.of());
        message.put("pinned", false);
        message.put("type", 0);
        message.put("flags", 0);
        return message;
    }

    @Override
    public void close() {
        app.stop();
    }
}
