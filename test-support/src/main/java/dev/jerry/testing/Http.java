package dev.jerry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: what any caller of a Jerry service would send. */
public final class Http {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    public static HttpResponse<String> get(URI base, String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    public static HttpResponse<String> post(URI base, String path, String body, String... headers) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json"),
                headers);
    }

    /**
     * The error message of an error response: {@code error.message} (Jerry's and OpenAI's shape) or {@code error}
     * itself when it is a string (Ollama's shape); empty when the body holds neither.
     */
    public static String errorMessage(HttpResponse<String> response) {
        return errorField(response, "message");
    }

    /** The {@code error.type} of an error response; empty when there is none. */
    public static String errorType(HttpResponse<String> response) {
        return errorField(response, "type");
    }

    private static String errorField(HttpResponse<String> response, String field) {
        JsonNode error;
        try {
            error = MAPPER.readTree(response.body()).path("error");
        } catch (IOException e) {
            return "";
        }
        return error.isTextual() && field.equals("message")
                ? error.asText()
                : error.path(field).asText();
    }

    public static HttpResponse<String> send(HttpRequest.Builder builder, String... headers) {
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            return CLIENT.send(builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
