package dev.jerry.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.SseEvent;
import dev.jerry.kit.client.SseStream;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolCall;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Any server speaking OpenAI's {@code /chat/completions}: streamed with {@code stream_options.include_usage}, tool
 * calls assembled from their streamed pieces. Closing the stream when the client leaves stops the generation.
 */
public final class OpenAiBackend implements Backend {
    private final String name;
    private final OpenAiConfig config;
    private final ServiceClient client;

    public OpenAiBackend(OpenAiConfig config, ServiceMetrics metrics) {
        this(
                "openai@" + config.url().getHost()
                        + (config.url().getPort() < 0 ? "" : ":" + config.url().getPort()),
                config,
                metrics);
    }

    /** A server known by {@code name} in errors and metrics (e.g. model-service's own llama-server child). */
    public OpenAiBackend(String name, OpenAiConfig config, ServiceMetrics metrics) {
        URI url = config.url();
        this.name = name;
        this.config = config;
        // a trailing slash keeps the base path (/v1) when relative paths are resolved against it
        URI base = URI.create(url.toString().endsWith("/") ? url.toString() : url + "/");
        this.client = new ServiceClient(
                name,
                base,
                config.apiKey(),
                ClientOptions.defaults()
                        .withReadTimeout(config.generationTimeout())
                        .withStreamIdleTimeout(config.generationTimeout())
                        .withMaxAttempts(2),
                metrics);
    }

    /** The HTTP client of this server, for its other APIs (embeddings). */
    public ServiceClient client() {
        return client;
    }

    @Override
    public ModelService describe() {
        return new ModelService(name, ModelService.Kind.OPENAI_COMPATIBLE, config.models(), 0);
    }

    private record PartialCall(StringBuilder id, StringBuilder name, StringBuilder arguments) {}

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return chat(request, sink, Map.of());
    }

    /** A chat whose request body also carries {@code extra} fields the server understands (e.g. {@code json_schema}). */
    public Generation chat(ChatRequest request, TokenSink sink, Map<String, Object> extra) {
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        TreeMap<Integer, PartialCall> calls = new TreeMap<>();
        String finish = "stop";
        int promptTokens = 0;
        int completionTokens = 0;
        long firstToken = 0;
        int pieces = 0;
        Map<String, Object> body = body(request);
        body.putAll(extra);
        try (SseStream stream = client.stream("chat/completions", body, Map.of())) {
            Optional<SseEvent> event;
            while ((event = stream.next()).isPresent()) {
                String data = event.get().data();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode chunk = read(data);
                if (chunk.has("error")) {
                    throw new UpstreamException.BadResponse(
                            name,
                            200,
                            name + " failed mid-answer: "
                                    + chunk.path("error")
                                            .path("message")
                                            .asText(chunk.path("error").asText()),
                            null);
                }
                if (chunk.path("usage").isObject()) {
                    promptTokens = chunk.path("usage").path("prompt_tokens").asInt();
                    completionTokens =
                            chunk.path("usage").path("completion_tokens").asInt();
                }
                for (JsonNode choice : chunk.path("choices")) {
                    JsonNode delta = choice.path("delta");
                    String piece = delta.path("content").asText("");
                    if (!piece.isEmpty()) {
                        if (firstToken == 0) {
                            firstToken = System.nanoTime() - start;
                        }
                        pieces++;
                        text.append(piece);
                        try {
                            sink.accept(piece);
                        } catch (IOException clientGone) {
                            throw new ClientGoneException(clientGone);
                        }
                    }
                    for (JsonNode call : delta.path("tool_calls")) {
                        PartialCall partial = calls.computeIfAbsent(
                                call.path("index").asInt(),
                                i -> new PartialCall(new StringBuilder(), new StringBuilder(), new StringBuilder()));
                        partial.id().append(call.path("id").asText(""));
                        partial.name().append(call.path("function").path("name").asText(""));
                        partial.arguments()
                                .append(call.path("function").path("arguments").asText(""));
                    }
                    if (choice.hasNonNull("finish_reason")) {
                        finish = choice.path("finish_reason").asText();
                    }
                }
            }
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        for (PartialCall call : calls.values()) {
            String arguments =
                    call.arguments().isEmpty() ? "{}" : call.arguments().toString();
            toolCalls.add(new ToolCall(call.id().toString(), call.name().toString(), read(arguments)));
        }
        return new Generation(
                text.toString(),
                toolCalls.isEmpty() ? finish : "tool_calls",
                promptTokens,
                completionTokens > 0 ? completionTokens : pieces,
                firstToken,
                System.nanoTime() - start,
                toolCalls);
    }

    private JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UpstreamException.BadResponse(
                    name, 200, name + " sent JSON that does not parse: " + e.getOriginalMessage(), e);
        }
    }

    /** Text alone, or with images as OpenAI's parts: the text, then one {@code image_url} data URL per image. */
    private static Object content(ChatMessage message) {
        if (message.images().isEmpty()) {
            return message.content();
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        parts.add(Map.of("type", "text", "text", message.content()));
        for (String image : message.images()) {
            parts.add(Map.of(
                    "type", "image_url", "image_url", Map.of("url", "data:" + mediaType(image) + ";base64," + image)));
        }
        return parts;
    }

    /** The media type of a base64 image from its first bytes (JPEG, GIF, WebP), PNG otherwise. */
    private static String mediaType(String base64) {
        if (base64.startsWith("/9j/")) {
            return "image/jpeg";
        }
        if (base64.startsWith("R0lGOD")) {
            return "image/gif";
        }
        return base64.startsWith("UklGR") ? "image/webp" : "image/png";
    }

    /** The server decides: images go on, and a model there that cannot read them answers with its own error. */
    @Override
    public boolean readsImages(String model) {
        return true;
    }

    private static Map<String, Object> body(ChatRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put(
                "messages",
                request.messages().stream()
                        .map(m -> Map.of("role", m.role(), "content", content(m)))
                        .toList());
        body.put("max_tokens", request.maxTokens());
        body.put("temperature", request.temperature());
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        body.put("seed", Math.floorMod(request.seed(), (long) Integer.MAX_VALUE));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        if (!request.tools().isEmpty()) {
            body.put(
                    "tools",
                    request.tools().stream()
                            .map(t -> Map.of(
                                    "type",
                                    "function",
                                    "function",
                                    Map.of(
                                            "name", t.name(),
                                            "description", t.description(),
                                            "parameters",
                                                    t.parameters() == null
                                                            ? Map.of("type", "object")
                                                            : t.parameters())))
                            .toList());
            body.put(
                    "tool_choice",
                    switch (request.toolChoice().mode()) {
                        case AUTO -> "auto";
                        case NONE -> "none";
                        case REQUIRED -> "required";
                        case NAMED ->
                            Map.of(
                                    "type",
                                    "function",
                                    "function",
                                    Map.of("name", request.toolChoice().tool()));
                    });
        }
        if (request.format() != null) {
            body.put(
                    "response_format",
                    Map.of("type", "json_schema", "json_schema", Map.of("name", "answer", "schema", request.format())));
        }
        return body;
    }

    /** Reachable, the configured models listed by the server, whether an API key is configured (never the key). */
    @Override
    public HealthCheck.Result probe() {
        JsonNode models = Json.mapper().valueToTree(client.get("models", Map.class));
        List<String> listed = new ArrayList<>();
        models.path("data").forEach(m -> listed.add(m.path("id").asText()));
        List<String> missing =
                config.models().stream().filter(m -> !listed.contains(m)).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reachable", true);
        details.put(
                "models_present",
                config.models().stream().filter(listed::contains).toList());
        details.put("models_missing", missing);
        details.put("api_key_configured", config.apiKey().isPresent());
        return missing.isEmpty()
                ? HealthCheck.Result.up(details)
                : new HealthCheck.Result.Down("models missing on " + name + ": " + String.join(", ", missing), details);
    }
}
