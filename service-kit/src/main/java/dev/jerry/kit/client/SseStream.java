package dev.jerry.kit.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open Server-Sent Events response. A virtual thread parses the body into a small bounded queue, so that
 * {@link #next()} can give up when the upstream stays silent longer than the idle timeout. Closing the stream closes
 * the connection, which tells the upstream that the client went away.
 */
public final class SseStream implements AutoCloseable {
    private sealed interface Item {
        record Event(SseEvent event) implements Item {}

        record End() implements Item {}

        record Failure(IOException error) implements Item {}
    }

    private final String upstream;
    private final InputStream body;
    private final Duration idleTimeout;
    private final Runnable onIdleTimeout;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile boolean closed;
    private boolean ended;

    SseStream(String upstream, InputStream body, Duration idleTimeout, Runnable onIdleTimeout) {
        this.upstream = upstream;
        this.body = body;
        this.idleTimeout = idleTimeout;
        this.onIdleTimeout = onIdleTimeout;
        this.reader = Thread.ofVirtual().name("sse-" + upstream).start(this::read);
    }

    private void read() {
        SseParser parser = new SseParser(body);
        try {
            Optional<SseEvent> event;
            while ((event = parser.next()).isPresent()) {
                queue.put(new Item.Event(event.get()));
            }
            queue.put(new Item.End());
        } catch (IOException e) {
            if (!closed) {
                queue.offer(new Item.Failure(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next event, or empty once the upstream closed the stream.
     *
     * @throws UpstreamException.Timeout when nothing arrives within the idle timeout
     * @throws UpstreamException.Unavailable when the connection breaks mid-stream
     */
    public Optional<SseEvent> next() {
        if (ended) {
            return Optional.empty();
        }
        Item item;
        try {
            item = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new UpstreamException.Unavailable(upstream, "interrupted while reading the stream of " + upstream, e);
        }
        if (item == null) {
            onIdleTimeout.run();
            close();
            throw new UpstreamException.Timeout(
                    upstream, upstream + " sent nothing for " + idleTimeout.toMillis() + " ms", null);
        }
        return switch (item) {
            case Item.Event event -> Optional.of(event.event());
            case Item.End end -> {
                ended = true;
                yield Optional.empty();
            }
            case Item.Failure failure -> {
                ended = true;
                throw new UpstreamException.Unavailable(
                        upstream,
                        "the stream from " + upstream + " broke: "
                                + failure.error().getMessage(),
                        failure.error());
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        ended = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is how we hang up; a failure to do so cleanly changes nothing
        }
        reader.interrupt();
    }
}
