package dev.jerry.kit.http;

import dev.jerry.kit.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a streamed response piece by piece, flushing each, so that a client that went away is noticed at once (the
 * write fails) and the work behind it can be cancelled. Writes may come from several threads; they never interleave.
 */
public final class StreamWriter {
    private final OutputStream out;

    private StreamWriter(Context ctx, String contentType) throws IOException {
        ctx.status(200);
        ctx.res().setContentType(contentType);
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
    }

    public static StreamWriter sse(Context ctx) throws IOException {
        return new StreamWriter(ctx, "text/event-stream; charset=utf-8");
    }

    public static StreamWriter ndjson(Context ctx) throws IOException {
        return new StreamWriter(ctx, "application/x-ndjson");
    }

    /** {@code event: NAME} and {@code data: JSON}; a null name writes a data-only event (OpenAI style). */
    public synchronized void event(String name, Object data) throws IOException {
        String json = data instanceof String s ? s : Json.write(data);
        write((name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n");
    }

    /** One JSON object on its own line (Ollama style). */
    public synchronized void line(Object data) throws IOException {
        write(Json.write(data) + "\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
