package dev.jerry.bot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.api.AttachmentResponse;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.SseEvent;
import dev.jerry.kit.client.SseStream;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * agent-service's {@code POST /v1/chat} as a stream of events, {@code DELETE /v1/conversations/{id}} and
 * {@code POST /v1/conversations/{id}/attachments}.
 */
public final class AgentClient {
    /** What a streamed turn reports, in order: any number of status and delta events, then done or error. */
    public interface Events {
        void status(String text);

        void delta(String text);

        void done(AgentChatResponse response);

        /** The agent ended the stream with an error body ({@code type}, {@code message}). */
        void error(String type, String message);
    }

    private final ServiceClient client;

    public AgentClient(ServiceClient client) {
        this.client = client;
    }

    /**
     * Runs one turn, blocking until it ends. Errors before the stream starts (agent down, 4xx/5xx) are thrown as
     * {@link UpstreamException}, and so is an error event that says when to try again (model-service's queue is
     * full: {@link UpstreamException.Busy}); other errors inside the stream arrive as {@link Events#error}.
     */
    public void chat(String conversationId, AgentChatRequest.UserRef user, String message, Events events) {
        chat(new AgentChatRequest(conversationId, user, message, true), events);
    }

    /** A turn whose earlier turns are {@code history} (a reply chain), not the stored ones; null: the stored ones. */
    public void chat(
            String conversationId,
            AgentChatRequest.UserRef user,
            String message,
            List<AgentChatRequest.HistoryMessage> history,
            Events events) {
        chat(new AgentChatRequest(conversationId, user, message, true).withHistory(history), events);
    }

    /** As {@link #chat(String, AgentChatRequest.UserRef, String, Events)}, for a request with a place's settings. */
    public void chat(AgentChatRequest request, Events events) {
        try (SseStream stream = client.stream("/v1/chat", request, Map.of())) {
            boolean ended = false;
            Optional<SseEvent> next;
            while (!ended && (next = stream.next()).isPresent()) {
                SseEvent event = next.get();
                JsonNode data = Json.mapper().readTree(event.data());
                switch (event.event() == null ? "" : event.event()) {
                    case "status" -> events.status(data.path("text").asText(""));
                    case "delta" -> events.delta(data.path("text").asText(""));
                    case "done" -> {
                        events.done(Json.mapper().treeToValue(data, AgentChatResponse.class));
                        ended = true;
                    }
                    case "error" -> {
                        if (data.path("error").path("retry_after_seconds").canConvertToLong()) {
                            // too busy to take the turn: the caller tells its user when to come back
                            throw new UpstreamException.Busy(
                                    client.upstream(),
                                    data.path("error").path("message").asText("Jerry is busy"),
                                    Duration.ofSeconds(Math.max(
                                            1,
                                            data.path("error")
                                                    .path("retry_after_seconds")
                                                    .asLong())));
                        }
                        events.error(
                                data.path("error").path("type").asText("error"),
                                data.path("error").path("message").asText("the agent failed"));
                        ended = true;
                    }
                    default -> {
                        // "sources" comes again inside "done"; unknown events are ignored for forward compatibility
                    }
                }
            }
            if (!ended) {
                events.error("upstream_unavailable", "agent-service closed the stream before the answer was complete");
            }
        } catch (UpstreamException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new UpstreamException.BadResponse(
                    client.upstream(), 502, "agent-service sent an event that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Hands a file to the conversation; a refused kind or size is an {@link UpstreamException.BadResponse}. */
    public AttachmentResponse attach(String conversationId, AttachmentRequest request) {
        return client.post(
                "/v1/conversations/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8) + "/attachments",
                request,
                AttachmentResponse.class);
    }

    /** agent-service's own message in a refusal, without the client's "agent-service answered 413: ". */
    public static String detail(UpstreamException.BadResponse e) {
        String prefix = e.upstream() + " answered " + e.upstreamStatus() + ": ";
        return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
    }

    public void forget(String conversationId) {
        client.delete("/v1/conversations/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8));
    }
}
