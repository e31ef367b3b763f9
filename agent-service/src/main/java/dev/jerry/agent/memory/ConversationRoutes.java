package dev.jerry.agent.memory;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /v1/conversations/{id}} (summary and recent turns) and {@code DELETE} (forget: its turns and its
 * attachments).
 */
public final class ConversationRoutes implements Feature {
    static final int RECENT = 50;

    private final MemoryStore store;
    private final Function<String, Map<String, Object>> alsoForget;

    public ConversationRoutes(MemoryStore store) {
        this(store, id -> Map.of());
    }

    /**
     * @param alsoForget removes what else a conversation has (its attachments) after its turns, and says what in
     *     fields of the answer
     */
    public ConversationRoutes(MemoryStore store, Function<String, Map<String, Object>> alsoForget) {
        this.store = store;
        this.alsoForget = alsoForget;
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
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("conversation_id", id);
            answer.put("forgotten_messages", store.forget(id));
            answer.putAll(alsoForget.apply(id));
            ctx.json(answer);
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
