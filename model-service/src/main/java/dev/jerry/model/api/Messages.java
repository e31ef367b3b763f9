package dev.jerry.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.error.ServiceException.BadInput;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ToolCall;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.backend.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Messages, tools and tool calls of the Ollama and OpenAI dialects, which differ in details: content as a string or
 * as text parts; tool-call arguments as an object (Ollama) or a JSON string (OpenAI). An assistant's earlier tool call
 * is shown to the model in the same JSON it is asked to produce.
 */
final class Messages {
    private Messages() {}

    static List<ChatMessage> parse(List<JsonNode> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new BadInput("field 'messages' must hold at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            messages.add(message(nodes.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, String field) {
        String role = node.path("role").asText(null);
        if (role == null) {
            throw new BadInput("field '" + field + ".role' is required");
        }
        if (role.equals("developer")) {
            role = "system";
        }
        List<String> images = new ArrayList<>(Images.ollama(node.get("images"), field + ".images"));
        String content = content(node.path("content"), field, images);
        JsonNode calls = node.path("tool_calls");
        if (role.equals("assistant") && calls.isArray() && !calls.isEmpty()) {
            StringBuilder rendered = new StringBuilder(content);
            for (JsonNode call : calls) {
                ObjectNode shown = Json.mapper().createObjectNode();
                shown.putObject("tool_call")
                        .put("name", call.path("function").path("name").asText())
                        .set("arguments", arguments(call.path("function").path("arguments"), field));
                rendered.append(rendered.isEmpty() ? "" : "\n").append(Json.write(shown));
            }
            content = rendered.toString();
        }
        if (role.equals("tool")) {
            String tool = node.path("tool_name")
                    .asText(node.path("name").asText(node.path("tool_call_id").asText("")));
            content = "Result of tool " + tool + ":\n" + content;
        }
        try {
            return new ChatMessage(role, content, images);
        } catch (IllegalArgumentException e) {
            throw new BadInput(field + ": " + e.getMessage());
        }
    }

    /** The text of a message's content; OpenAI's {@code image_url} parts go to {@code images}. */
    private static String content(JsonNode content, String field, List<String> images) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            switch (part.path("type").asText()) {
                case "text" -> joined.append(part.path("text").asText());
                case "image_url" -> images.add(Images.openAi(part, field + ".content[" + i + "]"));
                default ->
                    throw new BadInput("field '" + field + ".content[" + i + "]': only text and image_url parts are "
                            + "supported");
            }
        }
        return joined.toString();
    }

    private static JsonNode arguments(JsonNode arguments, String field) {
        if (!arguments.isTextual()) {
            return arguments;
        }
        try {
            return Json.mapper().readTree(arguments.asText());
        } catch (JsonProcessingException e) {
            throw new BadInput("field '" + field + ".tool_calls': arguments are not valid JSON");
        }
    }

    /** {@code [{"type": "function", "function": {"name", "description", "parameters"}}]}, or none. */
    static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull() || tools.isMissingNode()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new BadInput("field 'tools' must be a list");
        }
        List<ToolSpec> specs = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode function = tools.get(i).path("function");
            try {
                specs.add(new ToolSpec(
                        function.path("name").asText(null),
                        function.path("description").asText(null),
                        function.get("parameters")));
            } catch (RuntimeException e) {
                throw new BadInput("tools[" + i + "]", "field 'tools[" + i + "]': " + e.getMessage());
            }
        }
        return specs;
    }

    /** OpenAI's {@code tool_choice}: "auto", "none", "required" or {"type": "function", "function": {"name"}}. */
    static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull() || choice.isMissingNode()) {
            return ToolChoice.AUTO;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null);
                default ->
                    throw new BadInput("field 'tool_choice' must be auto, none, required or a function, got '"
                            + choice.asText() + "'");
            };
        }
        String name = choice.path("function").path("name").asText(null);
        if (name == null) {
            throw new BadInput("field 'tool_choice.function.name' is required");
        }
        return new ToolChoice(ToolChoice.Mode.NAMED, name);
    }

    /** Ollama's shape: {"id", "function": {"index", "name", "arguments": {...}}}. */
    static List<dev.jerry.ollama.ToolCall> ollamaCalls(List<ToolCall> calls) {
        List<dev.jerry.ollama.ToolCall> shaped = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            shaped.add(new dev.jerry.ollama.ToolCall(
                    c.id(), new dev.jerry.ollama.ToolCall.Function(i, c.name(), c.arguments())));
        }
        return shaped;
    }

    /** OpenAI's shape: {"id", "type": "function", "function": {"name", "arguments": "<json>"}}, with an index. */
    static List<Map<String, Object>> openAiCalls(List<ToolCall> calls, boolean withIndex) {
        List<Map<String, Object>> shaped = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            Map<String, Object> call = new java.util.LinkedHashMap<>();
            if (withIndex) {
                call.put("index", i);
            }
            call.put("id", c.id());
            call.put("type", "function");
            call.put("function", Map.of("name", c.name(), "arguments", Json.write(c.arguments())));
            shaped.add(call);
        }
        return shaped;
    }
}
