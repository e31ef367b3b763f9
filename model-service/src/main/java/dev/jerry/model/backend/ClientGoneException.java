package dev.jerry.model.backend;

/** The client disconnected during a generation, which was then cancelled to free the backend. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("the client disconnected; generation cancelled", cause);
    }
}
