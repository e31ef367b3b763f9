package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.error.ServiceException.BadInput;
import dev.jerry.kit.json.Json;
import java.util.ArrayList;
import java.util.List;

/** Request fields that may be one string or a list of strings, as in both the Ollama and OpenAI APIs. */
final class Inputs {
    static final int MAX_INPUTS = 512;
    /** 512 inputs of ~350 words (~1M characters) took 77-90 s in the probe of issue 12; this is about a fifth. */
    static final int MAX_CHARACTERS = 200_000;

    private Inputs() {}

    static List<String> texts(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new BadInput(field, "field '" + field + "' is required");
        }
        boolean single = node.isTextual();
        if (single) {
            node = Json.mapper().createArrayNode().add(node);
        } else if (!node.isArray() || node.isEmpty()) {
            throw new BadInput(field, "field '" + field + "' must be a string or a non-empty list of strings");
        }
        if (node.size() > MAX_INPUTS) {
            throw new ServiceException.TooLarge(
                    field, "field '" + field + "' holds " + node.size() + " inputs; the limit is " + MAX_INPUTS);
        }
        List<String> texts = new ArrayList<>();
        long characters = 0;
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new BadInput(field + "[" + i + "]", "field '" + field + "[" + i + "]' must be a string");
            }
            texts.add(node.get(i).asText());
        }
        for (int i = 0; i < texts.size(); i++) {
            String name = single ? field : field + "[" + i + "]";
            if (texts.get(i).isBlank()) {
                throw new BadInput(name, "field '" + name + "' is empty; there is nothing to embed");
            }
            characters += texts.get(i).length();
        }
        if (characters > MAX_CHARACTERS) {
            throw new ServiceException.TooLarge(
                    field,
                    "field '" + field + "' holds " + characters + " characters; the limit is " + MAX_CHARACTERS
                            + " per request: send them in several requests");
        }
        return texts;
    }
}
