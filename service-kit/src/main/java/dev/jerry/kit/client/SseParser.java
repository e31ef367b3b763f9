package dev.jerry.kit.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads Server-Sent Events from a stream, following the WHATWG event-stream rules: {@code event:}, {@code data:}
 * (several lines joined with {@code \n}), {@code id:}, comments starting with {@code :}, an event dispatched at a
 * blank line, an event without data dropped.
 */
public final class SseParser {
    private final BufferedReader reader;

    public SseParser(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or empty at the end of the stream. */
    public Optional<SseEvent> next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String id = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new SseEvent(event == null ? "message" : event, data.toString(), id));
                }
                event = null;
                id = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                case "id" -> id = value;
                default -> {
                    // "retry" and unknown fields do not concern a server-to-server reader
                }
            }
        }
        return Optional.empty();
    }
}
