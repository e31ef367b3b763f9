package dev.jerry.model.backend;

import java.io.IOException;

/** Receives generated text as it is produced; an {@link IOException} means the client went away. */
@FunctionalInterface
public interface TokenSink {
    TokenSink NONE = text -> {};

    void accept(String text) throws IOException;
}
