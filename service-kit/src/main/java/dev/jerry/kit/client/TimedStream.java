package dev.jerry.kit.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read item by item (Server-Sent Events, NDJSON lines, chunks of a file) with timeouts. A virtual
 * thread parses the body into a small bounded queue, so that {@link #next()} can give up when the upstream stays silent
 * longer than the idle timeout, or when the whole stream takes longer than its deadline. Closing the stream closes the
 * connection, which tells the upstream that the client went away.
 *
 * @param <T> what one item is
 */
public final class TimedStream<T> implements AutoCloseable {
    /** Reads the next item from the body; empty at its end. */
    @FunctionalInterface
    public interface Parser<T> {
        Optional<T> next() throws IOException;
    }

    private sealed interface Item<T> {
        record Value<T>(T value) implements Item<T> {}

        record End<T>() implements Item<T> {}

        record Failure<T>(IOException error) implements Item<T> {}
    }

    private final String upstream;
    private final InputStream body;
    private final Duration idleTimeout;
    private final long deadline;
    private final Duration total;
    private final Runnable onTimeout;
    private final BlockingQueue<Item<T>> queue = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile boolean closed;
    private boolean ended;

    /**
     * @param total how long the whole stream may take; null for no limit beyond the idle timeout
     * @param onTimeout runs once when either timeout strikes (a metric)
     */
    public TimedStream(
            String upstream,
            InputStream body,
            Parser<T> parser,
            Duration idleTimeout,
            Duration total,
            Runnable onTimeout) {
        this.upstream = upstream;
        this.body = body;
        this.idleTimeout = idleTimeout;
        this.total = total;
        this.deadline = total == null ? Long.MAX_VALUE : System.nanoTime() + total.toNanos();
        this.onTimeout = onTimeout;
        this.reader = Thread.ofVirtual().name("stream-" + upstream).start(() -> read(parser));
    }

    private void read(Parser<T> parser) {
        try {
            Optional<T> value;
            while ((value = parser.next()).isPresent()) {
                queue.put(new Item.Value<>(value.get()));
            }
            queue.put(new Item.End<>());
        } catch (IOException e) {
            if (!closed) {
                queue.offer(new Item.Failure<>(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next item, or empty once the upstream closed the stream.
     *
     * @throws UpstreamException.Timeout when nothing arrives within the idle timeout, or the deadline passes
     * @throws UpstreamException.Unavailable when the connection breaks mid-stream
     */
    public Optional<T> next() {
        if (ended) {
            return Optional.empty();
        }
        long left = deadline - System.nanoTime();
        boolean deadlineFirst = left < idleTimeout.toNanos();
        Item<T> item = null;
        try {
            if (left > 0) {
                item = queue.poll(deadlineFirst ? left : idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new UpstreamException.Unavailable(upstream, "interrupted while reading the stream of " + upstream, e);
        }
        if (item == null) {
            onTimeout.run();
            close();
            throw new UpstreamException.Timeout(
                    upstream,
                    deadlineFirst
                            ? upstream + " did not finish within " + total.toMillis() + " ms"
                            : upstream + " sent nothing for " + idleTimeout.toMillis() + " ms",
                    null);
        }
        return switch (item) {
            case Item.Value<T> value -> Optional.of(value.value());
            case Item.End<T> end -> {
                ended = true;
                yield Optional.empty();
            }
            case Item.Failure<T> failure -> {
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
