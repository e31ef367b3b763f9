package dev.jerry.agent.attach;

import dev.jerry.agent.memory.Conversation;
import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;

/**
 * {@code POST /v1/conversations/{id}/attachments}: a file (base64 JSON) for the conversation. 201 with what was done
 * (stored, or an image refused with the models that could read it); 413 over {@code JERRY_ATTACHMENT_MAX_BYTES} or
 * {@code JERRY_ATTACHMENT_MAX_PAGES}; 400 for a kind of file it cannot read.
 */
public final class AttachmentRoutes implements Feature {
    private final Attachments attachments;

    public AttachmentRoutes(Attachments attachments) {
        this.attachments = attachments;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/conversations/{id}/attachments", ctx -> {
            String id = ctx.pathParam("id");
            if (!Conversation.validId(id)) {
                throw new ServiceException.BadInput(
                        "conversation_id",
                        "conversation id must be " + Conversation.FORMS + ", got '"
                                + (id.length() > 80 ? id.substring(0, 80) + "…" : id) + "'");
            }
            // refused by its declared length before the body is read
            long length = ctx.req().getContentLengthLong();
            if (length > attachments.config().maxBodyBytes()) {
                throw new ServiceException.TooLarge(
                        "data",
                        "the attachment is over the limit of "
                                + Attachments.megabytes(attachments.config().maxBytes()) + " ("
                                + AttachmentConfig.MAX_BYTES + ")");
            }
            var response = attachments.take(id, Json.readRequest(ctx.body(), AttachmentRequest.class));
            ctx.status(response.stored() ? 201 : 200).json(response);
        });
    }
}
