package dev.jerry.model.backend;

/** The client disconnected during a generation or embedding, which was then cancelled to free the backend. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("the client disconnected; generation cancelled", cause);
    }

    /** @param what the work that was stopped, and how far it got */
    public ClientGoneException(String what) {
        super("the client disconnected; " + what);
    }
}
