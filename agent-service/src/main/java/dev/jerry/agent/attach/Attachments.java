package dev.jerry.agent.attach;

import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.api.AttachmentResponse;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachments of conversations: a document is read and chunked like the knowledge base and its passages embedded
 * into the conversation's scratch collection, which the {@code rag_search} tool searches beside the knowledge base;
 * an image is kept for a model that can see, and otherwise refused with the models that could read it. Everything
 * lives in Chroma, so it is shared by every agent-service process and removed with the conversation or at its TTL.
 */
public final class Attachments {
    private static final Logger log = LoggerFactory.getLogger(Attachments.class);

    /** A passage of an attachment found for a query. */
    public record Passage(String source, int page, String title, String text) {}

    /** An attached image, for a model that can see. */
    public record Image(String filename, String base64, String mimeType) {}

    /**
     * A conversation's images as one turn shows them: {@code images} to a model that can see; to one that cannot (the
     * place's model changed after they came), none, and {@code unseen} names them.
     */
    public record Shown(List<Image> images, List<String> unseen) {
        public static final Shown NONE = new Shown(List.of(), List.of());

        public Shown {
            images = List.copyOf(images);
            unseen = List.copyOf(unseen);
        }
    }

    private final AttachmentConfig config;
    private final KnowledgeStore store;
    private final ScratchStore scratch;
    private final AttachmentReader reader;
    private final ImageScaler scaler;
    private final Vision vision;
    private final String model;
    private final Clock clock;

    /**
     * @param store the Chroma and embeddings the scratch collections use
     * @param vision model-service, asked which models can read images
     * @param model the conversations' model, as agent-service asks model-service for it, unless the request names the
     *     model of the place the file was sent in
     */
    Attachments(AttachmentConfig config, KnowledgeStore store, Vision vision, String model, Clock clock) {
        this.config = config;
        this.store = store;
        this.scratch = new ScratchStore(store);
        this.reader = new AttachmentReader(config.workDir(), config.maxPages());
        this.scaler = new ImageScaler(config.imageMaxSide());
        this.vision = vision;
        this.model = model;
        this.clock = clock;
    }

    /** The attachments of the composition root: embeddings made when the first attachment arrives. */
    public static Attachments create(
            AttachmentConfig config,
            dev.jerry.kit.client.ServiceClient modelService,
            String model,
            dev.jerry.kit.metrics.ServiceMetrics metrics) {
        // asked on every turn of every conversation: a Chroma that is down must cost a turn little
        var chroma = new ChromaClient(
                config.knowledge().chromaUrl(),
                new ClientOptions(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        1,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(5)),
                metrics);
        var embeddings = new LazyEmbeddings(() -> config.knowledge().embeddingSource(metrics));
        return new Attachments(
                config, new KnowledgeStore(chroma, embeddings), new Vision(modelService), model, Clock.systemUTC());
    }

    public AttachmentConfig config() {
        return config;
    }

    /** Takes one file for the conversation: read and stored, or refused with a reason (limits are 4xx). */
    public AttachmentResponse take(String conversationId, AttachmentRequest request) {
        String filename = request.filename().strip();
        if (request.decodedSize() > config.maxBytes()) {
            throw new ServiceException.TooLarge("data", tooLarge(filename, request.decodedSize()));
        }
        String extension = AttachmentReader.extension(filename);
        boolean image = AttachmentReader.IMAGES.contains(extension)
                || request.contentType() != null && request.contentType().startsWith("image/");
        if (!image && !AttachmentReader.DOCUMENTS.contains(extension)) {
            throw new ServiceException.BadInput(
                    "filename", "I can read " + AttachmentReader.kinds() + " attachments; " + filename + " is none");
        }
        byte[] bytes = bytes(request);
        if (bytes.length > config.maxBytes()) {
            throw new ServiceException.TooLarge("data", tooLarge(filename, bytes.length));
        }
        Instant expires = clock.instant().plus(config.ttl());
        return image
                ? image(conversationId, filename, bytes, request.model() == null ? model : request.model(), expires)
                : document(conversationId, filename, bytes, expires);
    }

    private static byte[] bytes(AttachmentRequest request) {
        try {
            return request.bytes();
        } catch (IllegalArgumentException e) {
            throw new ServiceException.BadInput("data", e.getMessage());
        }
    }

    private String tooLarge(String filename, long bytes) {
        return filename + " is " + megabytes(bytes) + "; the limit is " + megabytes(config.maxBytes()) + " ("
                + AttachmentConfig.MAX_BYTES + ")";
    }

    static String megabytes(long bytes) {
        return bytes >= 1024 * 1024
                ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : bytes >= 1024 ? (bytes / 1024) + " KB" : bytes + " bytes";
    }

    private AttachmentResponse document(String conversationId, String filename, byte[] bytes, Instant expires) {
        AttachmentReader.Read read = reader.read(filename, bytes);
        List<float[]> vectors = store.embeddings()
                .embed(read.chunks().stream().map(KnowledgeChunk::embeddedText).toList());
        scratch.write(conversationId, filename, read.chunks(), vectors, expires);
        log.info(
                "{}: {} read, {} pages, {} passages",
                conversationId,
                filename,
                read.pages(),
                read.chunks().size());
        return new AttachmentResponse(
                conversationId,
                filename,
                AttachmentResponse.STORED,
                "document",
                read.pages(),
                read.chunks().size(),
                expires.toString(),
                null,
                List.of(),
                "📎 I read " + filename + " (" + read.pages() + (read.pages() == 1 ? " page" : " pages")
                        + "); ask me about it in this conversation.");
    }

    /** {@code model}: the model the conversation's turns go to where the image was sent. */
    private AttachmentResponse image(
            String conversationId, String filename, byte[] bytes, String model, Instant expires) {
        if (!vision.canSee(model)) {
            List<String> seeing = vision.seeing();
            String message = "🖼️ " + filename + " is an image, and the model of this conversation (" + model
                    + ") cannot read images. "
                    + (seeing.isEmpty()
                            ? "No model configured here can; an operator can add one that reports the vision "
                                    + "capability (for example llava on an Ollama node)."
                            : "A model that could: " + String.join(", ", seeing) + ".");
            return new AttachmentResponse(
                    conversationId,
                    filename,
                    AttachmentResponse.REFUSED,
                    "image",
                    null,
                    null,
                    null,
                    model,
                    seeing,
                    message);
        }
        ImageScaler.Fitted fitted = fitted(filename, bytes);
        float[] vector = store.embeddings()
                .embed(List.of("image attachment " + filename))
                .getFirst();
        scratch.writeImage(
                conversationId, filename, Base64.getEncoder().encodeToString(fitted.bytes()), vector, expires);
        return new AttachmentResponse(
                conversationId,
                filename,
                AttachmentResponse.STORED,
                "image",
                null,
                null,
                expires.toString(),
                model,
                List.of(model),
                "🖼️ I have " + filename + "; " + model + " will look at it when you ask in this conversation.");
    }

    /** The image as the model gets it: scaled down and upright; a file that is no readable image is refused. */
    private ImageScaler.Fitted fitted(String filename, byte[] bytes) {
        ImageScaler.Fitted fitted;
        try {
            fitted = scaler.fit(bytes);
        } catch (ImageScaler.Unreadable e) {
            throw new ServiceException.BadInput("data", filename + ": " + e.getMessage());
        }
        if (fitted.changed()) {
            log.info(
                    "{} scaled to {}×{}, {} ({} before)",
                    filename,
                    fitted.width(),
                    fitted.height(),
                    megabytes(fitted.bytes().length),
                    megabytes(bytes.length));
        }
        return fitted;
    }

    /** The passages of the conversation's attachments nearest to {@code query}; none when it has no attachments. */
    public List<Passage> search(String conversationId, String query, int n) {
        Optional<ChromaClient.Collection> collection = scratch.live(conversationId, clock.instant());
        if (collection.isEmpty()) {
            return List.of();
        }
        float[] vector = store.embeddings().embed(List.of(query)).getFirst();
        return scratch.search(collection.get(), vector, n).stream()
                .map(r -> new Passage(
                        String.valueOf(r.metadata().get("source")),
                        r.metadata().get("page") instanceof Number p ? p.intValue() : 1,
                        String.valueOf(r.metadata().get("title")),
                        r.document()))
                .toList();
    }

    /** The names of the conversation's attached files, for the model's instructions. */
    public List<String> files(String conversationId) {
        return scratch.live(conversationId, clock.instant()).map(scratch::files).orElse(List.of());
    }

    /**
     * The conversation's images for a turn of {@code model}: all of them when it can see; otherwise none, only their
     * names (sending them would make model-service refuse the turn, and every later one).
     */
    public Shown shown(String conversationId, String model) {
        List<Image> images = images(conversationId);
        if (images.isEmpty() || vision.canSee(model)) {
            return new Shown(images, List.of());
        }
        return new Shown(List.of(), images.stream().map(Image::filename).toList());
    }

    /** The conversation's images, kept for a model that could see when they came. */
    public List<Image> images(String conversationId) {
        return scratch.live(conversationId, clock.instant())
                .map(c -> scratch.images(c).stream()
                        .map(r -> {
                            String filename = String.valueOf(r.metadata().get("source"));
                            return new Image(filename, r.document(), mimeType(r.document()));
                        })
                        .toList())
                .orElse(List.of());
    }

    /** The type of a kept image by its first bytes (a PNG named {@code .jpg}, a photo re-encoded as JPEG). */
    static String mimeType(String base64) {
        if (base64.startsWith("/9j/")) {
            return "image/jpeg";
        }
        if (base64.startsWith("R0lGOD")) {
            return "image/gif";
        }
        if (base64.startsWith("UklGR")) {
            return "image/webp";
        }
        return "image/png";
    }

    /** Removes the conversation's attachments; how many files it had. */
    public int forget(String conversationId) {
        return scratch.delete(conversationId);
    }

    /**
     * Forgets the conversation's attachments for {@code DELETE /v1/conversations/{id}}: how many files it had, or,
     * Chroma unreachable, a warning that they go at their TTL (the turns are forgotten whatever Chroma does).
     */
    public Map<String, Object> forgetForRoute(String conversationId) {
        try {
            return Map.of("forgotten_attachments", forget(conversationId));
        } catch (UpstreamException e) {
            log.warn("{}: attachments not removed: {}", conversationId, e.getMessage());
            return Map.of(
                    "attachments_warning",
                    "the attachments could not be removed now (" + e.getMessage() + "); they are removed "
                            + config.ttl().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                            + " after the last one arrived (" + AttachmentConfig.TTL + ")");
        }
    }

    /** Removes the attachments whose time is up; how many conversations had some. */
    public int sweep() {
        List<String> removed = scratch.sweep(clock.instant());
        if (!removed.isEmpty()) {
            log.info("removed the expired attachments of {} conversations", removed.size());
        }
        return removed.size();
    }
}
