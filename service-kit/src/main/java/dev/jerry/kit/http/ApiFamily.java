package dev.jerry.kit.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jerry.kit.api.ErrorBody;

/**
 * Which API a path belongs to, and so the shape of its error bodies: clients of the OpenAI-compatible routes read
 * OpenAI's {@code {"error": {"message", "type", "param", "code"}}}, clients of the Ollama-compatible routes read
 * Ollama's {@code {"error": "<message>"}}, and Jerry's own routes answer {@link ErrorBody}. The request id is in the
 * {@code X-Request-Id} header either way.
 */
public enum ApiFamily {
    JERRY,
    OPENAI,
    OLLAMA;

    /** OpenAI's error body; {@code param} and {@code code} are written even when null, as OpenAI does. */
    public record OpenAiError(Detail error) {
        public record Detail(
                String message,
                String type,
                @JsonInclude(JsonInclude.Include.ALWAYS) String param,
                @JsonInclude(JsonInclude.Include.ALWAYS) String code) {}
    }

    /** Ollama's error body. */
    public record OllamaError(String error) {}

    public static ApiFamily of(String path) {
        if (path == null) {
            return JERRY;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            return OLLAMA;
        }
        if (path.equals("/v1/chat/completions")
                || path.equals("/v1/completions")
                || path.equals("/v1/embeddings")
                || path.equals("/v1/models")
                || path.startsWith("/v1/models/") && !path.equals("/v1/models/distribute")) {
            return OPENAI;
        }
        return JERRY;
    }

    /**
     * The error body of this family.
     *
     * @param type Jerry's error type ({@code bad_request}, {@code not_found}...), OpenAI's {@code code}
     * @param field the request field at fault, or null (OpenAI's {@code param})
     */
    public Object body(int status, String type, String message, String field, String requestId) {
        return switch (this) {
            case JERRY -> ErrorBody.of(type, message, requestId);
            case OLLAMA -> new OllamaError(message);
            case OPENAI -> new OpenAiError(new OpenAiError.Detail(message, openAiType(status), field, type));
        };
    }

    /** The {@code type} values OpenAI-compatible servers (OpenAI, llama-server) use. */
    private static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 503 -> "unavailable_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
