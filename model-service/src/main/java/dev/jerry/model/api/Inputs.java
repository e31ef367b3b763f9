package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException.BadInput;
import java.util.ArrayList;
import java.util.List;

/** Request fields that may be one string or a list of strings, as in both the Ollama and OpenAI APIs. */
final class Inputs {
    static final int MAX_INPUTS = 512;

    private Inputs() {}

    static List<String> texts(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new BadInput("field '" + field + "' is required");
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new BadInput("field '" + field + "' must be a string or a non-empty list of strings");
        }
        if (node.size() > MAX_INPUTS) {
            throw new BadInput("field '" + field + "' holds " + node.size() + " inputs; the limit is " + MAX_INPUTS);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new BadInput("field '" + field + "[" + i + "]' must be a string");
            }
            texts.add(node.get(i).asText());
        }
        return texts;
    }
}
