package dev.jerry.kit.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An open newline-delimited JSON response (Ollama's streams), one object per line, read with the timeouts of
 * {@link TimedStream}. Blank lines are skipped; a line that is not JSON breaks the stream.
 */
public final class NdjsonStream implements AutoCloseable {
    private final TimedStream<JsonNode> lines;

    /**
     * @param total how long the whole stream may take, or null
     * @param onTimeout runs once when a timeout strikes (a metric)
     */
    public NdjsonStream(String upstream, InputStream body, Duration idleTimeout, Duration total, Runnable onTimeout) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.lines = new TimedStream<>(upstream, body, () -> nextLine(reader), idleTimeout, total, onTimeout);
    }

    private static Optional<JsonNode> nextLine(BufferedReader reader) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                try {
                    return Optional.of(Json.mapper().readTree(line));
                } catch (JsonProcessingException e) {
                    throw new IOException("a line is not JSON: " + e.getOriginalMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    /** The next object, or empty at the end; throws like {@link TimedStream#next()}. */
    public Optional<JsonNode> next() {
        return lines.next();
    }

    /** The next object read as {@code type} (a record of the upstream's wire format), or empty at the end. */
    public <T> Optional<T> next(Class<T> type) {
        return next().map(node -> Json.mapper().convertValue(node, type));
    }

    /** Hangs up: the upstream sees the connection close (Ollama then stops generating). */
    @Override
    public void close() {
        lines.close();
    }
}
