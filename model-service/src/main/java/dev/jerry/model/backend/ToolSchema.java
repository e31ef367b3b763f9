package dev.jerry.model.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jerry.kit.error.ServiceException.BadInput;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON schemas of tool parameters, checked before they go anywhere. llama.cpp turns a schema into a grammar in
 * native code that aborts the whole JVM on anything it cannot convert ({@code {"type": "nonsense"}}, a {@code $ref}
 * that does not resolve, a {@code pattern} it cannot parse), so a schema is checked here against the part of JSON
 * Schema that converts, and {@link #forGrammar} hands llama.cpp a copy with references inlined and the keywords it
 * might trip on removed. Anything else is a 400 naming the tool and the place in its schema.
 */
public final class ToolSchema {
    static final int MAX_DEPTH = 12;
    static final int MAX_NODES = 2000;
    /** Repetition counts (minItems, maxLength...) become repeated grammar rules: large ones blow the grammar up. */
    static final int MAX_COUNT = 1000;
    /** llama.cpp builds integer ranges in 32-bit arithmetic. */
    static final long MAX_INTEGER_BOUND = Integer.MAX_VALUE;

    private static final Set<String> TYPES =
            Set.of("string", "number", "integer", "boolean", "object", "array", "null");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");
    private static final Set<String> SCHEMA_LISTS = Set.of("oneOf", "anyOf", "allOf", "prefixItems");
    private static final Set<String> COUNTS = Set.of("minItems", "maxItems", "minLength", "maxLength");
    private static final Set<String> BOUNDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    /** What llama.cpp's converter reads; everything else (descriptions...) is left out of the grammar's copy. */
    private static final Set<String> GRAMMAR_KEYWORDS = Set.of(
            "type",
            "properties",
            "required",
            "items",
            "prefixItems",
            "additionalProperties",
            "enum",
            "const",
            "oneOf",
            "anyOf",
            "allOf",
            "minItems",
            "maxItems",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "format");

    private ToolSchema() {}

    /**
     * Checks the parameters of tool {@code tool}.
     *
     * @throws BadInput naming the tool and where in its schema the problem is
     */
    public static void check(String tool, JsonNode parameters) {
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
            return;
        }
        if (!parameters.isObject()) {
            throw problem(tool, "parameters", "must be a JSON schema object");
        }
        new Walk(tool, parameters).schema(parameters, "parameters", 0, new ArrayDeque<>());
    }

    /** A copy for llama.cpp's converter: references inlined, only the keywords it reads, no pattern. */
    public static ObjectNode forGrammar(JsonNode parameters) {
        JsonNode copy = new Walk("", parameters).inline(parameters, new ArrayDeque<>());
        return copy instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    private static BadInput problem(String tool, String where, String what) {
        return new BadInput("tools", "the parameters of tool '" + tool + "' cannot be used: " + where + " " + what);
    }

    private static final class Walk {
        private final String tool;
        private final JsonNode root;
        private int nodes;

        Walk(String tool, JsonNode root) {
            this.tool = tool;
            this.root = root;
        }

        void schema(JsonNode node, String where, int depth, Deque<String> refs) {
            if (++nodes > MAX_NODES) {
                throw problem(tool, "parameters", "has more than " + MAX_NODES + " parts");
            }
            if (depth > MAX_DEPTH) {
                throw problem(tool, where, "nests deeper than " + MAX_DEPTH + " levels");
            }
            if (!node.isObject()) {
                throw problem(tool, where, "must be a schema object, got " + kind(node));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var entry = it.next();
                keyword(entry.getKey(), entry.getValue(), where + "." + entry.getKey(), depth, refs);
            }
            ordered(node, where, "minimum", "maximum");
            ordered(node, where, "minItems", "maxItems");
            ordered(node, where, "minLength", "maxLength");
        }

        /** A range no value fits would leave llama.cpp a grammar that matches nothing. */
        private void ordered(JsonNode node, String where, String low, String high) {
            if (node.has(low)
                    && node.has(high)
                    && node.get(low).asDouble() > node.get(high).asDouble()) {
                throw problem(
                        tool, where, "has " + low + " " + node.get(low) + " above " + high + " " + node.get(high));
            }
        }

        private void keyword(String key, JsonNode value, String where, int depth, Deque<String> refs) {
            switch (key) {
                case "type" -> type(value, where);
                case "properties", "$defs", "definitions" -> {
                    if (!value.isObject()) {
                        throw problem(tool, where, "must be an object of schemas");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                        var entry = it.next();
                        schema(entry.getValue(), where + "." + entry.getKey(), depth + 1, refs);
                    }
                }
                case "required" -> {
                    if (!value.isArray()) {
                        throw problem(tool, where, "must be a list of property names");
                    }
                    for (JsonNode name : value) {
                        if (!name.isTextual()) {
                            throw problem(tool, where, "must be a list of property names, holds " + kind(name));
                        }
                    }
                }
                case "items" -> {
                    if (value.isArray()) {
                        list(value, where, depth, refs);
                    } else if (!value.isBoolean()) {
                        schema(value, where, depth + 1, refs);
                    }
                }
                case "additionalProperties" -> {
                    if (!value.isBoolean()) {
                        schema(value, where, depth + 1, refs);
                    }
                }
                case "enum" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw problem(tool, where, "must be a non-empty list");
                    }
                }
                case "$ref" -> ref(value, where, depth, refs);
                case "pattern", "format", "description", "title", "$schema", "$id", "$comment" -> {
                    if (!value.isTextual()) {
                        throw problem(tool, where, "must be a string, got " + kind(value));
                    }
                }
                default -> {
                    if (SCHEMA_LISTS.contains(key)) {
                        if (!value.isArray() || value.isEmpty()) {
                            throw problem(tool, where, "must be a non-empty list of schemas");
                        }
                        list(value, where, depth, refs);
                    } else if (COUNTS.contains(key)) {
                        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > MAX_COUNT) {
                            throw problem(
                                    tool, where, "must be a whole number from 0 to " + MAX_COUNT + ", got " + value);
                        }
                    } else if (BOUNDS.contains(key)) {
                        if (!value.isNumber()
                                || !Double.isFinite(value.asDouble())
                                || Math.abs(value.asDouble()) > MAX_INTEGER_BOUND) {
                            throw problem(
                                    tool,
                                    where,
                                    "must be a number between -" + MAX_INTEGER_BOUND + " and " + MAX_INTEGER_BOUND
                                            + ", got " + value);
                        }
                    }
                    // const, default, examples and keywords llama.cpp ignores: any value
                }
            }
        }

        private void list(JsonNode value, String where, int depth, Deque<String> refs) {
            for (int i = 0; i < value.size(); i++) {
                schema(value.get(i), where + "[" + i + "]", depth + 1, refs);
            }
        }

        private void type(JsonNode value, String where) {
            if (value.isTextual() && TYPES.contains(value.asText())) {
                return;
            }
            if (value.isArray() && !value.isEmpty()) {
                for (JsonNode type : value) {
                    if (!type.isTextual() || !TYPES.contains(type.asText())) {
                        throw problem(tool, where, "must name types among " + TYPES + ", holds " + type);
                    }
                }
                return;
            }
            throw problem(tool, where, "must be one of " + TYPES + " (or a list of them), got " + value);
        }

        private void ref(JsonNode value, String where, int depth, Deque<String> refs) {
            JsonNode target = resolve(value, where);
            if (refs.contains(value.asText())) {
                throw problem(
                        tool,
                        where,
                        "refers to itself ('" + value.asText() + "'): recursive schemas are not supported");
            }
            refs.push(value.asText());
            schema(target, where + "->" + value.asText(), depth + 1, refs);
            refs.pop();
        }

        /** Only local references into the tool's own {@code $defs} or {@code definitions}. */
        private JsonNode resolve(JsonNode value, String where) {
            String ref = value.isTextual() ? value.asText() : "";
            if (!ref.matches("#/(\\$defs|definitions)/[^/]+")) {
                throw problem(
                        tool,
                        where,
                        "must be a reference like '#/$defs/Name' into the tool's own definitions, got " + value);
            }
            String[] parts = ref.substring(2).split("/");
            JsonNode target = root.path(parts[0]).path(parts[1]);
            if (!target.isObject()) {
                throw problem(tool, where, "refers to '" + ref + "', which the schema does not define");
            }
            return target;
        }

        JsonNode inline(JsonNode node, Deque<String> refs) {
            if (node.isArray()) {
                ArrayNode copy = JsonNodeFactory.instance.arrayNode();
                node.forEach(element -> copy.add(inline(element, refs)));
                return copy;
            }
            if (!node.isObject()) {
                return node;
            }
            if (node.has("$ref") && !refs.contains(node.get("$ref").asText())) {
                String ref = node.get("$ref").asText();
                refs.push(ref);
                JsonNode inlined = inline(resolve(node.get("$ref"), "$ref"), refs);
                refs.pop();
                return inlined;
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var entry = it.next();
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                if (!GRAMMAR_KEYWORDS.contains(key) || key.equals("format") && !FORMATS.contains(value.asText())) {
                    continue;
                }
                copy.set(
                        key,
                        switch (key) {
                            case "properties" -> {
                                ObjectNode properties = JsonNodeFactory.instance.objectNode();
                                value.fields()
                                        .forEachRemaining(p -> properties.set(p.getKey(), inline(p.getValue(), refs)));
                                yield properties;
                            }
                            case "items", "additionalProperties", "oneOf", "anyOf", "allOf", "prefixItems" ->
                                inline(value, refs);
                            default -> value;
                        });
            }
            return copy;
        }

        private static String kind(JsonNode node) {
            return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
