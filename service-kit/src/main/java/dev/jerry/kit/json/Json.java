package dev.jerry.kit.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.BadRequestResponse;
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
     * compact constructor throwing {@link IllegalArgumentException} becomes a 400 with its message.
     */
    public static <T> T readRequest(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new BadRequestResponse("request body is empty; expected a JSON object");
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (InvalidFormatException e) {
            throw new BadRequestResponse("field '" + path(e) + "' has an invalid value: " + e.getValue());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new BadRequestResponse(
                    field.isEmpty()
                            ? "request body must be a JSON object"
                            : "field '" + field + "' has the wrong type or is missing");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                throw new BadRequestResponse(cause.getMessage());
            }
            throw new BadRequestResponse("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
