package dev.jerry.bot.channels;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import java.util.List;
import java.util.Map;

/** model-service's models as {@code /jerry-model} offers them: the chat models there are, and what one can do. */
public final class ModelCatalog {
    /** The part of {@code /api/show}'s answer read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Show(List<String> capabilities) {
        Show {
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }
    }

    private final ServiceClient modelService;

    public ModelCatalog(ServiceClient modelService) {
        this.modelService = modelService;
    }

    /** The models that can chat ({@code /api/tags}; embedding models left out), by name. */
    public List<String> chatModels() {
        return modelService.get("/api/tags", ModelList.class).models().stream()
                .filter(m -> m.capabilities() == null || m.capabilities().contains("completion"))
                .map(ModelEntry::name)
                .sorted()
                .toList();
    }

    /** What a model can do ({@code completion}, {@code tools}, {@code vision}...), from {@code /api/show}. */
    public List<String> capabilities(String model) {
        return modelService
                .post("/api/show", Map.of("model", model), Show.class)
                .capabilities();
    }
}
