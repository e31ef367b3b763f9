package dev.jerry.model.llama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolCall;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.backend.ToolSchema;
import dev.jerry.model.backend.ToolSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Tool calling for models without native support: the output is constrained by a JSON schema (turned into a llama.cpp
 * grammar) to either {@code {"tool_call": {"name": ..., "arguments": {...}}}} with arguments valid for that tool, or
 * {@code {"answer": "..."}}; the system prompt tells the model the same in words. Both local engines use it (the
 * in-process binding and llama-server), so tool calling works the same with any model and chat template.
 */
public final class ToolGrammar {
    private ToolGrammar() {}

    /** The JSON schema of every allowed output under {@code choice}. */
    public static ObjectNode schema(List<ToolSpec> tools, ToolChoice choice) {
        ArrayNode branches = Json.mapper().createArrayNode();
        for (ToolSpec tool : tools) {
            if (choice.mode() == ToolChoice.Mode.NAMED && !tool.name().equals(choice.tool())) {
                continue;
            }
            ObjectNode call = Json.mapper().createObjectNode();
            call.put("type", "object");
            call.putObject("properties").putObject("name").put("const", tool.name());
            ((ObjectNode) call.get("properties")).set("arguments", argumentsSchema(tool));
            call.putArray("required").add("name").add("arguments");
            ObjectNode branch = Json.mapper().createObjectNode();
            branch.put("type", "object");
            branch.putObject("properties").set("tool_call", call);
            branch.putArray("required").add("tool_call");
            branches.add(branch);
        }
        if (branches.isEmpty()) {
            throw new ServiceException.BadInput(
                    "tool_choice", "tool_choice names '" + choice.tool() + "', which is not among the tools");
        }
        if (choice.mode() == ToolChoice.Mode.AUTO) {
            ObjectNode answer = Json.mapper().createObjectNode();
            answer.put("type", "object");
            answer.putObject("properties").putObject("answer").put("type", "string");
            answer.putArray("required").add("answer");
            branches.add(answer);
        }
        ObjectNode schema = Json.mapper().createObjectNode();
        schema.set("oneOf", branches);
        return schema;
    }

    private static JsonNode argumentsSchema(ToolSpec tool) {
        JsonNode parameters = tool.parameters();
        if (parameters == null || parameters.isNull() || parameters.isEmpty()) {
            ObjectNode empty = Json.mapper().createObjectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        // checked when the request was read (ToolSpec); the copy holds only what llama.cpp's converter can take
        return ToolSchema.forGrammar(parameters);
    }

    /** What the model is told; the grammar enforces it either way. */
    public static String instructions(List<ToolSpec> tools, ToolChoice choice) {
        StringBuilder text = new StringBuilder("You can call these tools:\n");
        for (ToolSpec tool : tools) {
            text.append("- ")
                    .append(tool.name())
                    .append(": ")
                    .append(tool.description())
                    .append(" Arguments (JSON schema): ")
                    .append(Json.write(argumentsSchema(tool)))
                    .append('\n');
        }
        text.append(
                "Reply with JSON only: {\"tool_call\": {\"name\": \"<tool>\", \"arguments\": {...}}} to call a tool");
        text.append(
                choice.mode() == ToolChoice.Mode.AUTO
                        ? ", or {\"answer\": \"<your reply>\"} to answer the user directly."
                        : "; you must call a tool now.");
        return text.toString();
    }

    public sealed interface Parsed {
        record Call(ToolCall call) implements Parsed {}

        record Answer(String text) implements Parsed {}
    }

    /** The model's JSON output; empty when it was cut off before the JSON closed. */
    public static Optional<Parsed> parse(String output, String callId) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(output);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null) {
            return Optional.empty();
        }
        JsonNode call = node.path("tool_call");
        if (call.isObject()) {
            return Optional.of(
                    new Parsed.Call(new ToolCall(callId, call.path("name").asText(), call.path("arguments"))));
        }
        return node.path("answer").isTextual()
                ? Optional.of(new Parsed.Answer(node.path("answer").asText()))
                : Optional.empty();
    }

    /** The model's constrained output as a tool call or an answer; the answer's text goes to {@code sink}. */
    public static Generation result(Generation raw, TokenSink sink) {
        var parsed = parse(raw.text(), "call_" + RequestIds.generate());
        if (parsed.isEmpty()) {
            // cut off by max_tokens before the JSON closed: say so rather than invent an ending
            return raw;
        }
        return switch (parsed.get()) {
            case Parsed.Call call ->
                new Generation(
                        "",
                        "tool_calls",
                        raw.promptTokens(),
                        raw.completionTokens(),
                        raw.timeToFirstTokenNanos(),
                        raw.totalNanos(),
                        List.of(call.call()));
            case Parsed.Answer answer -> {
                try {
                    sink.accept(answer.text());
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
                yield new Generation(
                        answer.text(),
                        "stop",
                        raw.promptTokens(),
                        raw.completionTokens(),
                        raw.timeToFirstTokenNanos(),
                        raw.totalNanos());
            }
        };
    }
}
