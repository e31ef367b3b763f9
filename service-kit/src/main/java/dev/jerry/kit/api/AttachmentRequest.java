package dev.jerry.kit.api;

import java.util.Base64;

/**
 * {@code POST /v1/conversations/{id}/attachments} of agent-service: one file for the conversation, its bytes in
 * base64.
 *
 * @param filename the file's name as the user sent it; its extension decides how it is read
 * @param contentType the media type the sender reported ({@code application/pdf}), or null
 * @param data the file's bytes, base64 (standard alphabet, padded)
 */
public record AttachmentRequest(String filename, String contentType, String data) {
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
    }

    public static AttachmentRequest of(String filename, String contentType, byte[] bytes) {
        return new AttachmentRequest(filename, contentType, Base64.getEncoder().encodeToString(bytes));
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
