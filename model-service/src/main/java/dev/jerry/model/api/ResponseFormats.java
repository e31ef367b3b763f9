package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import io.javalin.http.BadRequestResponse;

/**
 * The structured-output fields of both dialects, turned into the one JSON schema a backend enforces: OpenAI's
 * {@code response_format} ({@code text}, {@code json_object}, {@code json_schema}) and Ollama's {@code format}
 * ({@code "json"} or a schema). Null means free text.
 */
final class ResponseFormats {
    /** Any JSON object: what "JSON mode" asks for in both dialects. */
    private static final JsonNode ANY_OBJECT = Json.mapper().createObjectNode().put("type", "object");

    private ResponseFormats() {}

    static JsonNode openAi(JsonNode responseFormat) {
        if (absent(responseFormat)) {
            return null;
        }
        String type = responseFormat.path("type").asText("");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> ANY_OBJECT;
            case "json_schema" -> {
                JsonNode schema = responseFormat.path("json_schema").path("schema");
                if (!schema.isObject()) {
                    throw new BadRequestResponse(
                            "field 'response_format.json_schema.schema' must be a JSON schema object");
                }
                yield schema;
            }
            default ->
                throw new BadRequestResponse(
                        "field 'response_format.type' must be text, json_object or json_schema, got '" + type + "'");
        };
    }

    static JsonNode ollama(JsonNode format) {
        if (absent(format) || format.isTextual() && format.asText().isEmpty()) {
            return null;
        }
        if (format.isTextual() && format.asText().equals("json")) {
            return ANY_OBJECT;
        }
        if (format.isObject()) {
            return format;
        }
        throw new BadRequestResponse("field 'format' must be \"json\" or a JSON schema object");
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }
}
