package dev.jerry.kit.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.jerry.kit.error.ServiceException.BadInput;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** The one JSON configuration of the contracts: snake_case, nulls left out, unknown fields ignored. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new JavaTimeModule())
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a request body, turning every Jackson failure into a 400 that names the offending field. A record's
     * compact constructor throwing {@link IllegalArgumentException} becomes a 400 with its message. A body that is not
     * a JSON object ({@code null}, a list, a string) and text that native code cannot take (a NUL character, half of
     * a UTF-16 surrogate pair) are refused here, once for every endpoint, with the field named.
     */
    public static <T> T readRequest(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new BadInput("request body is empty; expected a JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInput("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new BadInput("request body must be a JSON object, got "
                    + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        checkText(tree, "");
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (InvalidFormatException e) {
            throw new BadInput(path(e), "field '" + path(e) + "' has an invalid value: " + e.getValue());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new BadInput(
                    field.isEmpty() ? null : field,
                    field.isEmpty()
                            ? "request body must be a JSON object"
                            : "field '" + field + "' has the wrong type or is missing");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                throw new BadInput(cause.getMessage());
            }
            throw new BadInput("request body cannot be read: " + e.getMessage());
        }
    }

    /** Refuses a NUL character or a lone surrogate anywhere in the body's strings (field names included). */
    private static void checkText(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = textProblem(node.asText());
            if (problem != null) {
                throw new BadInput(path, "field '" + path + "' " + problem);
            }
        } else if (node.isObject()) {
            for (var entry : node.properties()) {
                String field = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                String problem = textProblem(entry.getKey());
                if (problem != null) {
                    throw new BadInput("a field name " + problem);
                }
                checkText(entry.getValue(), field);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Why {@code text} cannot go to a model or a store, or null when it can. */
    public static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character (\\u0000) at position " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains half of a UTF-16 surrogate pair at position " + i + " (not valid Unicode text)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains half of a UTF-16 surrogate pair at position " + i + " (not valid Unicode text)";
            }
        }
        return null;
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
