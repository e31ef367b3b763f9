package dev.jerry.kit.api;

import java.util.Base64;

/**
 * {@code POST /v1/conversations/{id}/attachments} of agent-service: one file for the conversation, its bytes in
 * base64.
 *
 * @param filename the file's name as the user sent it; its extension decides how it is read
 * @param contentType the media type the sender reported ({@code application/pdf}), or null
 * @param data the file's bytes, base64 (standard alphabet, padded)
 * @param model the model the conversation's turns go to where the file was sent (a channel's setting or a member's
 *     pick), which an image is checked against; absent: agent-service's own model
 */
public record AttachmentRequest(String filename, String contentType, String data, String model) {
    public static final int MAX_FILENAME_CHARS = 200;

    public AttachmentRequest {
        if (filename == null || filename.isBlank()) {
            throw new IllegalArgumentException("field 'filename' is required");
        }
        if (filename.length() > MAX_FILENAME_CHARS) {
            throw new IllegalArgumentException(
                    "field 'filename' is " + filename.length() + " characters; the limit is " + MAX_FILENAME_CHARS);
        }
        if (data == null) {
            throw new IllegalArgumentException("field 'data' is required (the file's bytes in base64)");
        }
        AgentChatRequest.checkModel(model);
    }

    public static AttachmentRequest of(String filename, String contentType, byte[] bytes) {
        return new AttachmentRequest(filename, contentType, Base64.getEncoder().encodeToString(bytes), null);
    }

    /** This file for the turns of {@code model}; empty: agent-service's own model. */
    public AttachmentRequest forModel(java.util.Optional<String> model) {
        return new AttachmentRequest(filename, contentType, data, model.orElse(null));
    }

    /** The file's bytes; a malformed {@code data} is refused naming the field. */
    public byte[] bytes() {
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'data' is not base64: " + e.getMessage());
        }
    }

    /** How many bytes {@code data} decodes to, without decoding it. */
    public long decodedSize() {
        int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
        return (long) data.length() / 4 * 3 - padding;
    }
}
