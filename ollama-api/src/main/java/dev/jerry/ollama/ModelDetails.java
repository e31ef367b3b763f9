package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The {@code details} of a model in {@code /api/tags}, {@code /api/ps} and {@code /api/show}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDetails(
        String parentModel,
        String format,
        String family,
        List<String> families,
        String parameterSize,
        String quantizationLevel) {
    public static ModelDetails gguf(String family, String parameterSize, String quantizationLevel) {
        return new ModelDetails(
                "", "gguf", family, family == null ? null : List.of(family), parameterSize, quantizationLevel);
    }
}
