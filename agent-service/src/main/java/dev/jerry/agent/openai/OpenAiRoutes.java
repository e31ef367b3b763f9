package dev.jerry.agent.openai;

import dev.jerry.agent.chat.Agent;
import dev.jerry.agent.chat.ChatRoutes;
import dev.jerry.agent.chat.Persona;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jerry's agent as OpenAI-compatible models, so that any OpenAI client (Open WebUI, the SDKs) gets the knowledge
 * base, web search, personas and memory: {@code GET /v1/models} lists {@code jerry} and {@code jerry-<persona>};
 * {@code POST /v1/chat/completions} (plain or streamed) runs one real agent turn on the client's last user message.
 * Sources come as numbered footnotes at the end of the text and as {@code jerry_sources}.
 *
 * <p>Which conversation a request continues: with the OpenAI {@code user} field, {@code openai:<user>} and Jerry's
 * stored memory of it; without, {@code openai:h<hash of caller and first user message>} with the client's own
 * messages as the history (so two chats that start alike never see each other's turns).
 */
public final class OpenAiRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(OpenAiRoutes.class);
    static final String BASE_MODEL = "jerry";
    private static final long CREATED = Instant.now().getEpochSecond();

    private final Agent agent;

    public OpenAiRoutes(Agent agent) {
        this.agent = agent;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/models", ctx -> ctx.json(Map.of("object", "list", "data", models())));
        routes.post("/v1/chat/completions", this::complete);
    }

    private List<Map<String, Object>> models() {
        List<Map<String, Object>> models = new ArrayList<>();
        models.add(model(BASE_MODEL, "Jerry: the knowledge base, web search and memory"));
        for (Persona p : agent.personas()) {
            models.add(model(BASE_MODEL + "-" + p.name(), p.description()));
        }
        return models;
    }

    private static Map<String, Object> model(String id, String description) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", CREATED);
        model.put("owned_by", "jerry");
        model.put("description", description);
        return model;
    }

    /** The slash command a model name stands for: none for {@code jerry}, {@code /docs } for {@code jerry-docs}. */
    private String prefix(String model) {
        if (model == null || model.isBlank()) {
            throw new ServiceException.BadInput(
                    "field 'model' is required: jerry or jerry-<persona> (see GET /v1/models)");
        }
        if (model.equals(BASE_MODEL)) {
            return "";
        }
        return agent.personas().stream()
                .filter(p -> model.equals(BASE_MODEL + "-" + p.name()))
                .findFirst()
                .map(p -> "/" + p.name() + " ")
                .orElseThrow(() ->
                        new ServiceException.NotFound("model '" + model + "' is not served here; GET /v1/models lists "
                                + models().stream().map(m -> m.get("id")).toList()));
    }

    private void complete(Context ctx) throws IOException {
        CompletionRequest body = Json.readRequest(ctx.body(), CompletionRequest.class);
        String prefix = prefix(body.model());
        if (body.messages() == null || body.messages().isEmpty()) {
            throw new ServiceException.BadInput("field 'messages' must hold at least one message");
        }
        CompletionRequest.InMessage last = body.messages().getLast();
        if (last == null || !"user".equals(last.role()) || last.text().isBlank()) {
            throw new ServiceException.BadInput("field 'messages' must end with a user message with text");
        }
        Object caller = ctx.attribute(ServiceApp.CALLER_ATTRIBUTE);
        CompletionRequest.Identity identity = body.identity(String.valueOf(caller));
        AgentChatRequest request;
        try {
            request = new AgentChatRequest(
                    identity.conversationId(),
                    new AgentChatRequest.UserRef(identity.conversationId(), body.user(), List.of()),
                    prefix + last.text(),
                    body.stream());
        } catch (IllegalArgumentException e) {
            throw new ServiceException.BadInput(e.getMessage().replace("'message'", "'messages[-1].content'"));
        }
        agent.check(request);
        String id = "chatcmpl-" + UUID.randomUUID();
        if (Boolean.TRUE.equals(body.stream())) {
            stream(ctx, body, request, identity, id);
            return;
        }
        AgentChatResponse response;
        try {
            response = agent.chatStreaming(request, identity.history(), Agent.Events.NONE);
        } catch (UpstreamException.Busy busy) {
            throw new ServiceException.TooBusy(
                    busy.getMessage(), busy.retryAfter().orElseThrow());
        }
        Map<String, Object> completion = head(id, "chat.completion", body.model());
        completion.put(
                "choices",
                List.of(Map.of(
                        "index",
                        0,
                        "message",
                        Map.of("role", "assistant", "content", response.reply() + Footnotes.of(response.sources())),
                        "finish_reason",
                        "stop")));
        completion.put("usage", usage(response));
        extensions(completion, response);
        ctx.json(completion);
    }

    private static Map<String, Object> head(String id, String object, String model) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("id", id);
        head.put("object", object);
        head.put("created", Instant.now().getEpochSecond());
        head.put("model", model);
        return head;
    }

    private static Map<String, Object> usage(AgentChatResponse response) {
        return Map.of(
                "prompt_tokens",
                response.usage().promptTokens(),
                "completion_tokens",
                response.usage().completionTokens(),
                "total_tokens",
                response.usage().promptTokens() + response.usage().completionTokens());
    }

    /** Jerry's additions beside OpenAI's fields: the sources (numbered as in the footnotes) and the tools used. */
    private static void extensions(Map<String, Object> target, AgentChatResponse response) {
        target.put("jerry_sources", Footnotes.numbered(response.sources()));
        target.put("jerry_tools_used", response.toolsUsed());
        target.put("jerry_conversation_id", response.conversationId());
    }

    private static Map<String, Object> chunk(String id, String model, Map<String, Object> delta, String finish) {
        Map<String, Object> chunk = head(id, "chat.completion.chunk", model);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finish);
        chunk.put("choices", List.of(choice));
        return chunk;
    }

    private void stream(
            Context ctx,
            CompletionRequest body,
            AgentChatRequest request,
            CompletionRequest.Identity identity,
            String id)
            throws IOException {
        StreamWriter out = StreamWriter.sse(ctx);
        String model = body.model();
        boolean[] started = {false};
        try {
            AgentChatResponse response = agent.chatStreaming(request, identity.history(), new Agent.Events() {
                @Override
                public void status(String text) {
                    // OpenAI's stream has no place for progress; the text follows
                }

                @Override
                public void delta(String text) throws IOException {
                    Map<String, Object> delta = new LinkedHashMap<>();
                    if (!started[0]) {
                        delta.put("role", "assistant");
                        started[0] = true;
                    }
                    delta.put("content", text);
                    out.event(null, chunk(id, model, delta, null));
                }
            });
            String footnotes = Footnotes.of(response.sources());
            if (!footnotes.isEmpty() || !started[0]) {
                Map<String, Object> delta = new LinkedHashMap<>();
                if (!started[0]) {
                    delta.put("role", "assistant");
                }
                delta.put("content", footnotes);
                out.event(null, chunk(id, model, delta, null));
            }
            Map<String, Object> last = chunk(id, model, Map.of(), "stop");
            extensions(last, response);
            out.event(null, last);
            if (body.streamOptions() != null
                    && Boolean.TRUE.equals(body.streamOptions().includeUsage())) {
                Map<String, Object> usage = head(id, "chat.completion.chunk", model);
                usage.put("choices", List.of());
                usage.put("usage", usage(response));
                out.event(null, usage);
            }
            out.event(null, "[DONE]");
        } catch (Agent.ClientGoneException e) {
            log.info("client left during a streamed completion");
        } catch (RuntimeException e) {
            log.warn("streamed completion failed: {}", e.getMessage());
            out.event(null, Map.of("error", openAiError(e, RequestIds.currentOr(ctx))));
            out.event(null, "[DONE]");
        }
    }

    /** An error inside an OpenAI stream, in OpenAI's shape. */
    static Map<String, Object> openAiError(RuntimeException e, String requestId) {
        var jerry = ServiceApp.errorBodyFor(e, requestId).error();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", jerry.message());
        error.put("type", jerry.type());
        error.put("param", null);
        error.put("code", e instanceof UpstreamException.Busy ? "rate_limited" : jerry.type());
        if (e instanceof UpstreamException.Busy busy) {
            error.put("retry_after_seconds", ChatRoutes.retryAfterSeconds(busy));
        }
        return error;
    }
}
