package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The body of {@code /api/show}, {@code /api/pull} and {@code /api/delete}: {@code model}, or {@code name} from older clients. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelRequest(String model, String name, Boolean stream, Boolean insecure) {
    /** The model asked for: {@code model}, or the older {@code name}; null when neither is there. */
    public String requested() {
        return model != null ? model : name;
    }

    public static ModelRequest of(String model, boolean stream) {
        return new ModelRequest(model, null, stream, null);
    }
}
