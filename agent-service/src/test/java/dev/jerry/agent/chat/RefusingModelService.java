package dev.jerry.agent.chat;

import dev.jerry.kit.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.util.Map;

/**
 * model-service refusing every generation the way the real one does: an HTTP status with Jerry's error body
 * ({@code {"error": {"type", "message", "request_id"}}}) and, for 429, {@code Retry-After}. {@code /api/version}
 * (the readiness probe) and {@code /api/show} answer like the real one, unless the status is 401.
 */
final class RefusingModelService implements AutoCloseable {
    private final Javalin app;

    private RefusingModelService(int status, String type, String message, Integer retryAfterSeconds) {
        String body = Json.write(Map.of("error", Map.of("type", type, "message", message, "request_id", "r-1")));
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/api/version", ctx -> {
                if (status == 401) {
                    ctx.status(401).contentType("application/json").result(body);
                } else {
                    ctx.json(Map.of("version", "0.1.0"));
                }
            });
            cfg.routes.post("/api/show", ctx -> ctx.json(Map.of("model_info", Map.of("llama.context_length", 4096))));
            cfg.routes.post("/api/chat", ctx -> {
                if (retryAfterSeconds != null) {
                    ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
                }
                ctx.status(status).contentType("application/json").result(body);
            });
        });
    }

    static RefusingModelService start(int status, String type, String message, Integer retryAfterSeconds) {
        RefusingModelService model = new RefusingModelService(status, type, message, retryAfterSeconds);
        model.app.start("127.0.0.1", 0);
        return model;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    public void close() {
        app.stop();
    }
}
