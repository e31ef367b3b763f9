package dev.jerry.agent.attach;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.knowledge.KnowledgeConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How attachments are taken: limits, how long they live, where their passages are kept and how they are embedded.
 *
 * @param maxBytes {@code JERRY_ATTACHMENT_MAX_BYTES}: the largest file taken (Discord's own limit for bots is 25 MiB)
 * @param maxPages {@code JERRY_ATTACHMENT_MAX_PAGES}: the most pages of a PDF taken
 * @param ttl {@code JERRY_ATTACHMENT_TTL}: how long a conversation's attachments live after the last one arrived
 * @param imageMaxSide {@code JERRY_ATTACHMENT_IMAGE_MAX_SIDE}: an image is scaled down to at most this many pixels on
 *     its longest side before it is kept (and so before it goes to the model with every question)
 * @param knowledge {@code JERRY_CHROMA_URL} and {@code JERRY_EMBEDDINGS}, as rag-service reads them
 * @param workDir where a file is written while it is read ({@code JERRY_DATA_DIR}/attachments)
 */
public record AttachmentConfig(
        long maxBytes, int maxPages, Duration ttl, int imageMaxSide, KnowledgeConfig knowledge, Path workDir) {
    public static final String MAX_BYTES = "JERRY_ATTACHMENT_MAX_BYTES";
    public static final String MAX_PAGES = "JERRY_ATTACHMENT_MAX_PAGES";
    public static final String TTL = "JERRY_ATTACHMENT_TTL";
    public static final String IMAGE_MAX_SIDE = "JERRY_ATTACHMENT_IMAGE_MAX_SIDE";
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_PAGES = 100;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** The sweep runs at least this often, so an expired scratch collection is gone within this time. */
    static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(10);

    public AttachmentConfig {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(TTL, "must be at least 1s, got " + ttl);
        }
    }

    public static AttachmentConfig fromEnv(Env env, Path dataDir) {
        return new AttachmentConfig(
                env.longValue(MAX_BYTES, DEFAULT_MAX_BYTES, 1, 512L * 1024 * 1024),
                env.integer(MAX_PAGES, DEFAULT_MAX_PAGES, 1, 100_000),
                env.duration(TTL, DEFAULT_TTL),
                env.integer(IMAGE_MAX_SIDE, ImageScaler.DEFAULT_MAX_SIDE, 64, 8192),
                KnowledgeConfig.fromEnv(env),
                dataDir.resolve("attachments"));
    }

    /** How often expired scratch collections are looked for. */
    Duration sweepInterval() {
        return ttl.compareTo(MAX_SWEEP_INTERVAL) < 0 ? ttl : MAX_SWEEP_INTERVAL;
    }

    /** The largest request body that can carry a file of {@link #maxBytes} in base64, with room for the JSON. */
    public long maxBodyBytes() {
        return (maxBytes + 2) / 3 * 4 + 64 * 1024;
    }
}
