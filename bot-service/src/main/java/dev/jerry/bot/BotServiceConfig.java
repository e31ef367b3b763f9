package dev.jerry.bot;

import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * bot-service's configuration, read once at start-up. Its HTTP port serves only health and metrics.
 *
 * @param discordToken {@code JERRY_DISCORD_TOKEN} or {@code JERRY_DISCORD_TOKEN_FILE}: required
 * @param discord where Discord is and how many shards to run
 * @param access who may talk to the bot
 * @param limits per-user rate limit and daily quotas
 * @param editInterval the shortest time between two edits of one answer ({@code JERRY_BOT_EDIT_INTERVAL})
 * @param answerTimeout the longest an answer may take before the user is told so ({@code JERRY_BOT_ANSWER_TIMEOUT})
 */
public record BotServiceConfig(
        ServerConfig server,
        UpstreamConfig agentService,
        UpstreamConfig modelService,
        UpstreamConfig ragService,
        Secret discordToken,
        Discord discord,
        Access access,
        Limits limits,
        Duration editInterval,
        Duration answerTimeout) {
    public static final String SERVICE = "bot";
    public static final int DEFAULT_PORT = 8084;
    public static final String DISCORD_TOKEN = "JERRY_DISCORD_TOKEN";
    public static final String DISCORD_API_URL = "JERRY_DISCORD_API_URL";
    public static final String DISCORD_GATEWAY_URL = "JERRY_DISCORD_GATEWAY_URL";
    public static final String DISCORD_SHARDS = "JERRY_DISCORD_SHARDS";
    public static final String MESSAGE_CONTENT = "JERRY_DISCORD_MESSAGE_CONTENT";
    public static final String GUILDS = "JERRY_DISCORD_GUILDS";
    public static final String CHANNELS = "JERRY_DISCORD_CHANNELS";
    public static final String ROLES = "JERRY_DISCORD_ROLES";
    public static final String DMS = "JERRY_DISCORD_DMS";
    public static final String RATE_LIMIT = "JERRY_BOT_RATE_LIMIT";
    public static final String DAILY_QUOTA = "JERRY_BOT_DAILY_QUOTA";
    public static final String ROLE_QUOTAS = "JERRY_BOT_ROLE_QUOTAS";
    public static final String EDIT_INTERVAL = "JERRY_BOT_EDIT_INTERVAL";
    public static final String ANSWER_TIMEOUT = "JERRY_BOT_ANSWER_TIMEOUT";

    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*(s|m|h)");
    private static final Pattern SNOWFLAKE = Pattern.compile("\\d{1,20}");

    /**
     * Where Discord is. {@code apiUrl} and {@code gatewayUrl} are for a gateway proxy or a test double.
     *
     * @param shards empty: Discord's recommended number; otherwise this many
     * @param messageContent whether the privileged MESSAGE_CONTENT intent is asked for ({@code
     *     JERRY_DISCORD_MESSAGE_CONTENT}): then every message in a thread Jerry opened continues its conversation
     */
    public record Discord(Optional<URI> apiUrl, Optional<URI> gatewayUrl, OptionalInt shards, boolean messageContent) {}

    /** Empty sets allow everything. DMs are open to anyone who can message the bot, unless turned off. */
    public record Access(Set<Long> guilds, Set<Long> channels, Set<Long> roles, boolean dms) {}

    /**
     * @param burst requests a user may make at once
     * @param refill the time in which a full burst is earned back
     * @param dailyQuota answers per user and UTC day, unless a role gives more; 0 = unlimited
     * @param roleQuotas daily quota by role id (0 = unlimited); a member gets the largest of their roles'
     */
    public record Limits(int burst, Duration refill, int dailyQuota, Map<Long, Integer> roleQuotas) {}

    public static BotServiceConfig fromEnv(Env env) {
        Secret token = env.secret(DISCORD_TOKEN)
                .orElseThrow(() -> new ConfigException(
                        DISCORD_TOKEN,
                        "is not set: create a bot in the Discord Developer Portal (Bot → Reset Token) and set "
                                + DISCORD_TOKEN + " or " + DISCORD_TOKEN + "_FILE"));
        Duration editInterval = env.duration(EDIT_INTERVAL, Duration.ofSeconds(1));
        if (editInterval.compareTo(Duration.ofMillis(200)) < 0) {
            throw new ConfigException(
                    EDIT_INTERVAL,
                    "must be at least 200ms (Discord rate-limits edits), got " + editInterval.toMillis() + "ms");
        }
        return new BotServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                UpstreamConfig.fromEnv(env, "AGENT_SERVICE", "agent-service", URI.create("http://127.0.0.1:8083")),
                UpstreamConfig.fromEnv(env, "MODEL_SERVICE", "model-service", URI.create("http://127.0.0.1:8081")),
                UpstreamConfig.fromEnv(env, "RAG_SERVICE", "rag-service", URI.create("http://127.0.0.1:8082")),
                token,
                new Discord(env.url(DISCORD_API_URL), gatewayUrl(env), shards(env), env.bool(MESSAGE_CONTENT, false)),
                new Access(ids(env, GUILDS), ids(env, CHANNELS), ids(env, ROLES), env.bool(DMS, true)),
                limits(env),
                editInterval,
                env.duration(ANSWER_TIMEOUT, Duration.ofMinutes(3)));
    }

    private static Optional<URI> gatewayUrl(Env env) {
        return env.get(DISCORD_GATEWAY_URL).map(raw -> {
            URI uri = URI.create(raw.strip());
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(DISCORD_GATEWAY_URL, "must be a ws:// or wss:// URL, got '" + raw + "'");
            }
            return uri;
        });
    }

    private static OptionalInt shards(Env env) {
        Optional<String> raw = env.get(DISCORD_SHARDS).map(String::strip);
        if (raw.isPresent() && raw.get().equalsIgnoreCase("auto")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(env.integer(DISCORD_SHARDS, 1, 1, 1_000));
    }

    private static Set<Long> ids(Env env, String name) {
        return env.get(name).stream()
                .flatMap(raw -> Arrays.stream(raw.split("[,\\s]+")))
                .filter(s -> !s.isBlank())
                .map(s -> {
                    if (!SNOWFLAKE.matcher(s).matches()) {
                        throw new ConfigException(
                                name, "must be Discord ids (numbers) separated by commas, got '" + s + "'");
                    }
                    return Long.parseUnsignedLong(s);
                })
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Limits limits(Env env) {
        String rate = env.string(RATE_LIMIT, "5/1m").strip().toLowerCase(java.util.Locale.ROOT);
        Matcher m = RATE.matcher(rate);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new ConfigException(
                    RATE_LIMIT,
                    "must be requests per period such as 5/1m, 10/30s or 100/1h (at least 1), got '" + rate + "'");
        }
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        if (amount < 1) {
            throw new ConfigException(RATE_LIMIT, "the period must be at least 1, got '" + rate + "'");
        }
        Duration period = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
        Map<Long, Integer> roleQuotas = new LinkedHashMap<>();
        for (String pair : env.string(ROLE_QUOTAS, "").split("[,\\s]+")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split(":");
            if (parts.length != 2 || !SNOWFLAKE.matcher(parts[0]).matches() || !parts[1].matches("\\d{1,9}")) {
                throw new ConfigException(
                        ROLE_QUOTAS, "must be role-id:answers-per-day pairs such as 123456789:500, got '" + pair + "'");
            }
            roleQuotas.put(Long.parseUnsignedLong(parts[0]), Integer.parseInt(parts[1]));
        }
        return new Limits(
                Integer.parseInt(m.group(1)),
                period,
                env.integer(DAILY_QUOTA, 200, 0, 1_000_000),
                Map.copyOf(roleQuotas));
    }
}
