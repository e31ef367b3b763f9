package dev.jerry.kit.api;

import java.util.List;

/**
 * What agent-service did with an attachment: {@code stored} (a document chunked into the conversation's scratch
 * collection, or an image for a model that can see) or {@code refused} (an image the conversation's model cannot read).
 * {@code message} says it in a sentence a Discord user understands.
 *
 * @param kind {@code document} or {@code image}
 * @param pages pages read (documents)
 * @param chunks passages stored (documents)
 * @param expiresAt when the conversation's attachments are removed unless it gets another one (RFC 3339)
 * @param model the conversation's model (images)
 * @param readableBy models configured that could read the image (a refused image); empty when none can
 */
public record AttachmentResponse(
        String conversationId,
        String filename,
        String outcome,
        String kind,
        Integer pages,
        Integer chunks,
        String expiresAt,
        String model,
        List<String> readableBy,
        String message) {
    public static final String STORED = "stored";
    public static final String REFUSED = "refused";

    public AttachmentResponse {
        readableBy = readableBy == null ? List.of() : List.copyOf(readableBy);
    }

    public boolean stored() {
        return STORED.equals(outcome);
    }
}
