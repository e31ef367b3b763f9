package dev.jerry.agent.memory;

import dev.jerry.kit.http.Feature;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * {@code GET /v1/conversations/{id}} (summary and recent turns) and {@code DELETE} (forget: its turns and its
 * attachments).
 */
public final class ConversationRoutes implements Feature {
    static final int RECENT = 50;

    private final MemoryStore store;
    private final ToIntFunction<String> forgetAttachments;

    public ConversationRoutes(MemoryStore store) {
        this(store, id -> 0);
    }

    /** @param forgetAttachments removes a conversation's attachments and says how many files it had */
    public ConversationRoutes(MemoryStore store, ToIntFunction<String> forgetAttachments) {
        this.store = store;
        this.forgetAttachments = forgetAttachments;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/conversations/{id}", ctx -> {
            String id = id(ctx);
            ctx.json(store.conversation(id, RECENT)
                    .orElseThrow(() -> new NotFoundResponse("no conversation '" + id + "'")));
        });
        routes.delete("/v1/conversations/{id}", ctx -> {
            String id = id(ctx);
            int files = forgetAttachments.applyAsInt(id);
            ctx.json(Map.of(
                    "conversation_id", id, "forgotten_messages", store.forget(id), "forgotten_attachments", files));
        });
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Conversation.validId(id)) {
            throw new BadRequestResponse("conversation id must be " + Conversation.FORMS + ", got '"
                    + (id.length() > 80 ? id.substring(0, 80) + "…" : id) + "'");
        }
        return id;
    }
}
