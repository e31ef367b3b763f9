package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The answer of {@code GET /api/tags} and {@code GET /api/ps}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelList(List<ModelEntry> models) {
    public ModelList {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
