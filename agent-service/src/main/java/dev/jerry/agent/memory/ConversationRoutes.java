package dev.jerry.agent.memory;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /v1/conversations/{id}} (summary and recent turns) and {@code DELETE} (forget). */
public final class ConversationRoutes implements Feature {
    static final int RECENT = 50;

    private final MemoryStore store;

    public ConversationRoutes(MemoryStore store) {
        this.store = store;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/conversations/{id}", ctx -> {
            String id = id(ctx);
            ctx.json(store.conversation(id, RECENT)
                    .orElseThrow(() -> new ServiceException.NotFound("no conversation '" + id + "'")));
        });
        routes.delete("/v1/conversations/{id}", ctx -> {
            String id = id(ctx);
            ctx.json(Map.of("conversation_id", id, "forgotten_messages", store.forget(id)));
        });
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Conversation.validId(id)) {
            throw new ServiceException.BadInput("conversation id must be " + Conversation.FORMS + ", got '"
                    + (id.length() > 80 ? id.substring(0, 80) + "…" : id) + "'");
        }
        return id;
    }
}
