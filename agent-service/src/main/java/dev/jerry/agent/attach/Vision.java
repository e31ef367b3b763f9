package dev.jerry.agent.attach;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which models can read images, as model-service says through its Ollama API: a model that lists {@code vision} among
 * its {@code capabilities} ({@code /api/show}, which Ollama answers for every model; model-service also lists them in
 * {@code /api/tags}).
 */
final class Vision {
    static final String CAPABILITY = "vision";
    /** Models asked about one by one at most, when the listing does not say. */
    private static final int MAX_ASKED = 20;

    /** The part of {@code /api/show}'s answer read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelShow(List<String> capabilities) {
        ModelShow {
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }
    }

    private final ServiceClient modelService;

    Vision(ServiceClient modelService) {
        this.modelService = modelService;
    }

    /**
     * Whether {@code model} can read images (a model model-service does not know cannot); model-service unreachable
     * is an {@link UpstreamException}.
     */
    boolean canSee(String model) {
        try {
            return show(model).contains(CAPABILITY);
        } catch (UpstreamException.BadResponse e) {
            if (e.upstreamStatus() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The chat models configured that can read images (empty when none can, or model-service cannot say). */
    List<String> seeing() {
        List<String> seeing = new ArrayList<>();
        List<ModelEntry> models;
        try {
            models = modelService.get("/api/tags", ModelList.class).models();
        } catch (UpstreamException e) {
            return List.of();
        }
        int asked = 0;
        for (ModelEntry model : models) {
            List<String> capabilities = model.capabilities();
            if (capabilities == null && asked++ < MAX_ASKED) {
                capabilities = capabilities(model.name());
            }
            if (capabilities != null && capabilities.contains(CAPABILITY)) {
                seeing.add(model.name());
            }
        }
        return seeing;
    }

    private List<String> capabilities(String model) {
        try {
            return show(model);
        } catch (UpstreamException e) {
            return List.of();
        }
    }

    private List<String> show(String model) {
        return modelService
                .post("/api/show", Map.of("model", model), ModelShow.class)
                .capabilities();
    }
}
