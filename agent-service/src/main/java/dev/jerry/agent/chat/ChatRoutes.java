package dev.jerry.agent.chat;

import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.api.ErrorBody;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat}; with {@code "stream": true}, Server-Sent Events {@code status}, {@code delta},
 * {@code sources}, {@code done}, or {@code error} when the turn fails after the stream began. model-service too busy
 * to take the turn is a 429 with its {@code Retry-After} (an {@code error} event of type {@code rate_limited} with
 * {@code retry_after_seconds} in a stream).
 */
public final class ChatRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(ChatRoutes.class);

    private final Agent agent;

    public ChatRoutes(Agent agent) {
        this.agent = agent;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get(
                "/v1/plugins",
                ctx -> ctx.json(Map.of(
                        "plugins",
                        agent.personas().stream()
                                .map(p -> Map.of("name", p.name(), "description", p.description(), "tools", p.tools()))
                                .toList())));
        routes.post("/v1/chat", ctx -> {
            AgentChatRequest request = Json.readRequest(ctx.body(), AgentChatRequest.class);
            if (Boolean.TRUE.equals(request.stream())) {
                stream(ctx, request);
            } else {
                try {
                    ctx.json(agent.chat(request));
                } catch (UpstreamException.Busy busy) {
                    throw new ServiceException.TooBusy(
                            busy.getMessage(), busy.retryAfter().orElseThrow());
                }
            }
        });
    }

    private void stream(Context ctx, AgentChatRequest request) throws IOException {
        agent.check(request);
        StreamWriter out = StreamWriter.sse(ctx);
        try {
            AgentChatResponse response = agent.chatStreaming(request, new Agent.Events() {
                @Override
                public void status(String text) throws IOException {
                    out.event("status", Map.of("text", text));
                }

                @Override
                public void delta(String text) throws IOException {
                    out.event("delta", Map.of("text", text));
                }
            });
            out.event("sources", response.sources());
            out.event("done", response);
        } catch (Agent.ClientGoneException e) {
            log.info("client left during a streamed turn");
        } catch (RuntimeException e) {
            log.warn("streamed turn failed: {}", e.getMessage());
            out.event("error", errorEvent(e, RequestIds.currentOr(ctx)));
        }
    }

    /** The error event: the body the plain path would answer, and when to try again if that is known. */
    static Object errorEvent(RuntimeException e, String requestId) {
        ErrorBody body = ServiceApp.errorBodyFor(e, requestId);
        if (e instanceof UpstreamException.Busy busy) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", "rate_limited");
            error.put("message", body.error().message());
            error.put("request_id", requestId);
            error.put("retry_after_seconds", retryAfterSeconds(busy));
            return Map.of("error", error);
        }
        return body;
    }

    public static long retryAfterSeconds(UpstreamException.Busy busy) {
        return Math.max(1, (busy.retryAfter().orElseThrow().toMillis() + 999) / 1000);
    }
}
