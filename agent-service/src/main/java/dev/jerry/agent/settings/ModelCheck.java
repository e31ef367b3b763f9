package dev.jerry.agent.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import java.util.List;
import java.util.Map;

/**
 * Whether a model can be a channel's model: model-service has it ({@code /api/show}) and it can answer and call
 * tools (Jerry's knowledge base and web search are tools). Vision is reported, not required.
 */
public final class ModelCheck {
    /** The part of {@code /api/show}'s answer read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Show(List<String> capabilities) {
        Show {
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }
    }

    private final ServiceClient modelService;

    public ModelCheck(ServiceClient modelService) {
        this.modelService = modelService;
    }

    /** The model's capabilities, or a 400 naming the field and what the model lacks. */
    List<String> check(String field, String model) {
        Show show;
        try {
            show = modelService.post("/api/show", Map.of("model", model), Show.class);
        } catch (UpstreamException.BadResponse e) {
            if (e.upstreamStatus() == 404 || e.upstreamStatus() == 400) {
                throw new ServiceException.BadInput(
                        field, "model '" + model + "' is not at model-service (pull it first: /jerry-admin pull)");
            }
            throw e;
        }
        List<String> caps = show.capabilities();
        if (!caps.contains("completion")) {
            throw new ServiceException.BadInput(
                    field, "model '" + model + "' cannot chat (its capabilities: " + caps + ")");
        }
        if (!caps.contains("tools")) {
            throw new ServiceException.BadInput(
                    field,
                    "model '" + model + "' cannot call tools (its capabilities: " + caps
                            + "); Jerry needs tools for the knowledge base and web search");
        }
        return caps;
    }
}
