package dev.jerry.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.ollama.ErrorResponse;
import io.javalin.http.Context;

/**
 * Ollama's error body on {@code /api/*}: {@code {"error": "<message>"}}, where Jerry's own routes answer
 * {@code {"error": {"type", "message", "request_id"}}} (Ollama clients show an object there as "[object Object]"). The
 * request id stays in the {@code X-Request-Id} header. Runs after the service's one error mapping, whatever failed.
 */
final class OllamaErrors {
    private OllamaErrors() {}

    static void reshape(Context ctx) {
        if (ctx.statusCode() < 400) {
            return;
        }
        String body = ctx.result();
        if (body == null || body.isEmpty()) {
            return;
        }
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            if (error.isObject() && error.path("message").isTextual()) {
                ctx.result(Json.write(new ErrorResponse(error.path("message").asText())));
            }
        } catch (JsonProcessingException e) {
            // not a JSON error body: leave it as it is
        }
    }
}
