package dev.jerry.agent.chat;

import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;

/** {@code POST /v1/chat}. */
public final class ChatRoutes implements Feature {
    private final Agent agent;

    public ChatRoutes(Agent agent) {
        this.agent = agent;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/chat", ctx -> {
            AgentChatRequest request = Json.readRequest(ctx.body(), AgentChatRequest.class);
            if (Boolean.TRUE.equals(request.stream())) {
                throw new BadRequestResponse("streamed answers are not available yet; send \"stream\": false");
            }
            ctx.json(agent.chat(request));
        });
    }
}
