package dev.jerry.kit.http;

import io.javalin.http.Context;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Tells a handler that works long before it answers (no bytes written until the end) whether its client is still
 * connected. Jetty reads a connection again only once the response is done, so a client that closed its socket in the
 * meantime goes unnoticed and the work behind it runs to its end. This registers read interest on the connection
 * while the handler works: the socket turns readable when the client closes it (an HTTP/1.1 client sends nothing else
 * while it waits for its answer; a pipelining one would be taken for gone, and none of Jerry's callers pipelines).
 * {@link #close()} hands the connection back to Jetty before the response is written.
 */
public final class ClientWatch implements AutoCloseable {
    /** A watch that never sees the client leave: for requests that cannot be watched. */
    private static final ClientWatch NONE = new ClientWatch(null);

    private final AbstractEndPoint endPoint;
    private final AtomicBoolean gone = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientWatch(AbstractEndPoint endPoint) {
        this.endPoint = endPoint;
    }

    /** Starts watching the connection of {@code ctx}'s request; its body must have been read already. */
    public static ClientWatch of(Context ctx) {
        EndPoint endPoint;
        try {
            endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint();
        } catch (RuntimeException notJetty) {
            return NONE;
        }
        if (!(endPoint instanceof AbstractEndPoint watched)) {
            return NONE;
        }
        ClientWatch watch = new ClientWatch(watched);
        return watched.tryFillInterested(watch.callback()) ? watch : NONE;
    }

    private Callback callback() {
        return new Callback() {
            @Override
            public void succeeded() {
                gone.set(true); // readable while waiting for an answer: end of stream
            }

            @Override
            public void failed(Throwable failure) {
                // closed under us; our own release (close) and an idle timeout on an open connection are not a leave
                if (!(failure instanceof CancellationException) && !endPoint.isOpen()) {
                    gone.set(true);
                }
            }
        };
    }

    /** Whether the client is still there, as far as can be told. */
    public boolean connected() {
        return !gone.get() && (endPoint == null || endPoint.isOpen());
    }

    /** Stops watching, so that Jetty can read the connection's next request. Idempotent. */
    @Override
    public void close() {
        if (endPoint != null && closed.compareAndSet(false, true) && !gone.get()) {
            endPoint.getFillInterest().onFail(new CancellationException("the answer is ready"));
        }
    }
}
