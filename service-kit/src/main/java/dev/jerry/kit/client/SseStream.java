package dev.jerry.kit.client;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * An open Server-Sent Events response, read with an idle timeout (see {@link TimedStream}). Closing the stream closes
 * the connection, which tells the upstream that the client went away.
 */
public final class SseStream implements AutoCloseable {
    private final TimedStream<SseEvent> events;

    SseStream(String upstream, InputStream body, Duration idleTimeout, Runnable onIdleTimeout) {
        this.events = new TimedStream<>(upstream, body, new SseParser(body)::next, idleTimeout, null, onIdleTimeout);
    }

    /**
     * The next event, or empty once the upstream closed the stream.
     *
     * @throws UpstreamException.Timeout when nothing arrives within the idle timeout
     * @throws UpstreamException.Unavailable when the connection breaks mid-stream
     */
    public Optional<SseEvent> next() {
        return events.next();
    }

    @Override
    public void close() {
        events.close();
    }
}
