package dev.jerry.model.api;

import dev.jerry.kit.http.ClientWatch;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.embedding.Embedder;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's embeddings while its client waits for them: the work stops between inputs once the client has closed
 * its connection, so that a large request abandoned by its caller does not keep the embedding model busy for others.
 */
final class WatchedEmbedding {
    private static final Logger log = LoggerFactory.getLogger(WatchedEmbedding.class);
    /** nginx's "client closed request": for the access log and the request metric, the client never sees it. */
    static final int CLIENT_GONE = 499;

    private WatchedEmbedding() {}

    /** The vectors, or empty when the client left before they were done (the response is then left unwritten). */
    static Optional<List<float[]>> embed(Context ctx, Embedder embedder, List<String> inputs, ServiceMetrics metrics) {
        try (ClientWatch watch = ClientWatch.of(ctx)) {
            return Optional.of(embedder.embed(inputs, watch::connected));
        } catch (ClientGoneException e) {
            log.info("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            metrics.counter("embeddings.cancelled", "Embedding requests stopped because their client disconnected")
                    .increment();
            ctx.status(CLIENT_GONE);
            return Optional.empty();
        }
    }
}
