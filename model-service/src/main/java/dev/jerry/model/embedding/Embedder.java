package dev.jerry.model.embedding;

import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.natives.NativeLibraries;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.ModelFile;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Text embeddings. By default the quantized {@code bge-small-en-v1.5} ONNX model that ships inside its jar: runs in
 * this process, needs no download, 384 dimensions. Or a backend's model ({@link RemoteEmbeddingModel}), whose
 * dimension is learned on first use so that a backend still starting does not stop this service from starting.
 */
public final class Embedder {
    public static final String BGE_SMALL = "bge-small-en-v1.5";
    private static final String BGE_SMALL_FILE = "/bge-small-en-v1.5-q.onnx";

    /** Longest one request's embeddings may take before it is stopped. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How many inputs embed at once in this process, over all requests. */
    public static final int CONCURRENCY = 1;

    private final EmbeddingModel model;
    private final String id;
    private final Semaphore gate = new Semaphore(CONCURRENCY, true);
    private final LongAdder embedded = new LongAdder();
    private volatile int dimension;
    private volatile ModelFile file;

    public Embedder(EmbeddingModel model, String id) {
        this.model = model;
        this.id = id;
    }

    public static Embedder bgeSmall() {
        return new Embedder(
                NativeLibraries.loadExclusively(BGE_SMALL, BgeSmallEnV15QuantizedEmbeddingModel::new), BGE_SMALL);
    }

    public String id() {
        return id;
    }

    public int dimension() {
        if (dimension == 0) {
            dimension = model.dimension();
        }
        return dimension;
    }

    /** How many inputs go to a backend's model in one call, between which a departed client is noticed. */
    static final int REMOTE_BATCH = 32;

    /** Embeds {@code inputs} for a caller that stays (the semantic cache, the health probe). */
    public List<float[]> embed(List<String> inputs) {
        return embed(inputs, () -> true);
    }

    /**
     * Embeds {@code inputs}. In this process, one input at a time per request, taking turns with every other request
     * (a fair gate of {@link #CONCURRENCY} permits): a request of hundreds of inputs holds at most one core and one
     * turn at a time, so chat generation and the semantic cache's single embeddings are never stuck behind it. A
     * request still running at {@link #DEADLINE} is stopped with 504. A backend's model gets the list in batches of
     * {@link #REMOTE_BATCH}; it has its own timeouts.
     *
     * @param wanted asked before each input (each batch for a backend's model): false stops the work there
     * @throws ClientGoneException when {@code wanted} turned false; it says how many inputs were left undone
     */
    public List<float[]> embed(List<String> inputs, BooleanSupplier wanted) {
        boolean remote = model instanceof RemoteEmbeddingModel;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<float[]> vectors = new ArrayList<>(inputs.size());
        while (vectors.size() < inputs.size()) {
            if (!wanted.getAsBoolean()) {
                throw new ClientGoneException(
                        "embedding cancelled after " + vectors.size() + " of " + inputs.size() + " inputs");
            }
            if (remote) {
                List<String> batch =
                        inputs.subList(vectors.size(), Math.min(inputs.size(), vectors.size() + REMOTE_BATCH));
                vectors.addAll(vectors(
                        model.embedAll(batch.stream().map(TextSegment::from).toList())
                                .content()));
                embedded.add(batch.size());
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new UpstreamException.Timeout(
                        id,
                        "embedding " + inputs.size() + " inputs took longer than " + DEADLINE.toSeconds()
                                + " s; stopped after " + vectors.size() + ": send fewer or shorter inputs per request",
                        null);
            }
            try {
                gate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException.Unavailable(id, "interrupted while waiting to embed", e);
            }
            try {
                vectors.add(model.embed(TextSegment.from(inputs.get(vectors.size())))
                        .content()
                        .vector());
                embedded.increment();
            } finally {
                gate.release();
            }
        }
        return vectors;
    }

    /** How many inputs this embedder has embedded since it was made. */
    public long embeddedInputs() {
        return embedded.sum();
    }

    private static List<float[]> vectors(List<Embedding> embeddings) {
        return embeddings.stream().map(Embedding::vector).toList();
    }

    /** The in-process model's ONNX file (inside its jar): size, SHA-256 and time, read once; empty for a remote one. */
    public Optional<ModelFile> file() {
        if (!(model instanceof BgeSmallEnV15QuantizedEmbeddingModel)) {
            return Optional.empty();
        }
        ModelFile known = file;
        if (known == null) {
            known = readFile(BGE_SMALL_FILE);
            file = known;
        }
        return Optional.ofNullable(known);
    }

    private ModelFile readFile(String resource) {
        URL url = BgeSmallEnV15QuantizedEmbeddingModel.class.getResource(resource);
        if (url == null) {
            return null;
        }
        try {
            URLConnection connection = url.openConnection();
            MessageDigest sha = Sha256.digest();
            long size = 0;
            try (InputStream in = connection.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    sha.update(buffer, 0, n);
                    size += n;
                }
            }
            return new ModelFile(
                    id,
                    size,
                    HexFormat.of().formatHex(sha.digest()),
                    Instant.ofEpochMilli(connection.getLastModified()),
                    "bert",
                    "33M",
                    "int8",
                    null,
                    null);
        } catch (IOException e) {
            return null;
        }
    }

    public HealthCheck.Result probe() {
        long start = System.nanoTime();
        int length = embed(List.of("health probe")).getFirst().length;
        if (length != dimension()) {
            return HealthCheck.Result.down("probe embedding has " + length + " dimensions, expected " + dimension());
        }
        return HealthCheck.Result.up(
                Map.of("model", id, "dimension", length, "probe_ms", (System.nanoTime() - start) / 1_000_000));
    }
}
