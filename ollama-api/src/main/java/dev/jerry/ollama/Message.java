package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A chat message; an assistant's may carry tool calls, a tool result names its tool, a user's may show images
 * (base64).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Message(String role, String content, List<ToolCall> toolCalls, String toolName, List<String> images) {
    public Message(String role, String content, List<ToolCall> toolCalls, String toolName) {
        this(role, content, toolCalls, toolName, null);
    }

    public static Message of(String role, String content) {
        return new Message(role, content, null, null);
    }
}
