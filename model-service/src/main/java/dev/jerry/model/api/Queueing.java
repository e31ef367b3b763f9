package dev.jerry.model.api;

import dev.jerry.model.queue.FairQueue;
import io.javalin.http.Context;

/** Who a request queues as, and how a non-streamed answer tells where it stood. */
final class Queueing {
    static final String USER = "X-Jerry-User";
    static final String POSITION = "X-Jerry-Queue-Position";
    static final String ETA = "X-Jerry-Queue-Eta-Ms";

    private Queueing() {}

    /** The user from {@code X-Jerry-User} (set by agent-service); without one, all such requests are one user. */
    static String user(Context ctx) {
        String user = ctx.header(USER);
        return user == null || user.isBlank() ? null : user.length() > 128 ? user.substring(0, 128) : user;
    }

    /** Puts the position and ETA at the time the request joined the queue into the response headers. */
    static FairQueue.Listener headers(Context ctx) {
        boolean[] set = {false};
        return (position, eta) -> {
            if (!set[0]) {
                set[0] = true;
                ctx.header(POSITION, String.valueOf(position));
                ctx.header(ETA, String.valueOf(eta.toMillis()));
            }
        };
    }
}
