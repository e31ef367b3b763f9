package dev.jerry.agent.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A change to one scope's settings, read from a JSON merge patch: a field absent is kept, a field set to {@code null}
 * is cleared (inherited again), a value replaces.
 */
public record Patch(
        Change<String> persona,
        Change<String> model,
        Change<String> collection,
        Change<Boolean> threadDefault,
        Change<Boolean> cache,
        Change<List<String>> allowedModels) {
    static final Set<String> FIELDS =
            Set.of("kind", "updated_by", "persona", "model", "collection", "thread_default", "cache", "allowed_models");

    /** What happens to one field. */
    sealed interface Change<T> {
        record Keep<T>() implements Change<T> {}

        record Clear<T>() implements Change<T> {}

        record To<T>(T value) implements Change<T> {}

        default T apply(T current) {
            return switch (this) {
                case Keep<T> k -> current;
                case Clear<T> c -> null;
                case To<T> to -> to.value();
            };
        }
    }

    /** Whether the patch changes nothing but the model (all a member may set for themselves). */
    boolean onlyModel() {
        return persona instanceof Change.Keep
                && collection instanceof Change.Keep
                && threadDefault instanceof Change.Keep
                && cache instanceof Change.Keep
                && allowedModels instanceof Change.Keep;
    }

    public static Patch read(JsonNode body) {
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new ServiceException.BadInput(name, "unknown field '" + name + "'; known: " + FIELDS);
            }
        });
        return new Patch(
                change(body, "persona", node -> text(node, "persona")),
                change(body, "model", node -> text(node, "model")),
                change(body, "collection", node -> text(node, "collection")),
                change(body, "thread_default", node -> bool(node, "thread_default")),
                change(body, "cache", node -> bool(node, "cache")),
                change(body, "allowed_models", Patch::names));
    }

    private static <T> Change<T> change(JsonNode body, String name, Function<JsonNode, T> read) {
        if (!body.has(name)) {
            return new Change.Keep<>();
        }
        JsonNode node = body.get(name);
        return node.isNull() ? new Change.Clear<>() : new Change.To<>(read.apply(node));
    }

    private static String text(JsonNode node, String name) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ServiceException.BadInput(
                    name, "field '" + name + "' must be a non-empty string or null, got " + node);
        }
        return node.asText().strip();
    }

    private static Boolean bool(JsonNode node, String name) {
        if (!node.isBoolean()) {
            throw new ServiceException.BadInput(name, "field '" + name + "' must be true, false or null, got " + node);
        }
        return node.asBoolean();
    }

    private static List<String> names(JsonNode node) {
        if (!node.isArray()) {
            throw new ServiceException.BadInput(
                    "allowed_models", "field 'allowed_models' must be a list of model names or null");
        }
        List<String> names = new ArrayList<>();
        node.forEach(n -> names.add(text(n, "allowed_models")));
        return List.copyOf(names);
    }
}
