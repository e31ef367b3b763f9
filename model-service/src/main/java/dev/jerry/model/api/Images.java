package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException.BadInput;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Images in a request, in either dialect: Ollama's {@code images} (base64 strings) and OpenAI's {@code image_url}
 * content parts holding a {@code data:} URL. Both become base64 strings; anything else is refused naming its field.
 * Images are part of the body, so {@code JERRY_MAX_BODY_BYTES} bounds them.
 */
final class Images {
    private static final String BASE64_MARK = ";base64,";

    private Images() {}

    /** Ollama's {@code images}: a list of base64 strings, or none. */
    static List<String> ollama(JsonNode images, String field) {
        if (images == null || images.isMissingNode() || images.isNull()) {
            return List.of();
        }
        if (!images.isArray()) {
            throw new BadInput(field, "field '" + field + "' must be a list of base64-encoded images");
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String where = field + "[" + i + "]";
            if (!images.get(i).isTextual()) {
                throw new BadInput(where, "field '" + where + "' must be a base64-encoded image");
            }
            checked.add(base64(images.get(i).asText(), where));
        }
        return checked;
    }

    /** OpenAI's {@code {"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}}. */
    static String openAi(JsonNode part, String field) {
        JsonNode imageUrl = part.path("image_url");
        String url =
                imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText(null);
        String where = field + ".image_url.url";
        if (url == null) {
            throw new BadInput(where, "field '" + where + "' is required in an image_url part");
        }
        int mark = url.indexOf(BASE64_MARK);
        if (!url.startsWith("data:") || mark < 0) {
            throw new BadInput(
                    where,
                    "field '" + where + "' must be a data: URL with a base64-encoded image "
                            + "(data:image/png;base64,...); model-service does not fetch images from elsewhere");
        }
        return base64(url.substring(mark + BASE64_MARK.length()), where);
    }

    private static String base64(String image, String field) {
        try {
            if (!image.isEmpty() && Base64.getDecoder().decode(image).length > 0) {
                return image;
            }
        } catch (IllegalArgumentException e) {
            // refused below, naming the field
        }
        throw new BadInput(field, "field '" + field + "' is not a base64-encoded image");
    }
}
