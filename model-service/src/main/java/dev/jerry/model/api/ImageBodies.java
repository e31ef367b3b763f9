package dev.jerry.model.api;

import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.BodyLimit;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.model.ModelServiceConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * The body limits of the chat routes: a request that shows the model images (base64 photos, a few hundred kB each
 * even when scaled) may be up to {@code JERRY_MAX_IMAGE_BODY_BYTES}; one without images stays within
 * {@code JERRY_MAX_BODY_BYTES}, like every other route. The larger limit is admitted before the body is read (by its
 * declared length) and the images are checked for once it is parsed.
 */
public final class ImageBodies implements Feature {
    static final Set<String> CHAT_PATHS = Set.of("/api/chat", "/api/generate", "/v1/chat/completions", "/v1/inference");

    private final long textBytes;
    private final long imageBytes;

    /** {@code textBytes}: {@code JERRY_MAX_BODY_BYTES}; {@code imageBytes}: {@code JERRY_MAX_IMAGE_BODY_BYTES}. */
    public ImageBodies(long textBytes, long imageBytes) {
        this.textBytes = textBytes;
        this.imageBytes = imageBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        // no routes of its own: it sets the limits of the chat routes
    }

    @Override
    public List<BodyLimit> bodyLimits() {
        return imageBytes > textBytes
                ? List.of(new BodyLimit(CHAT_PATHS, imageBytes, ModelServiceConfig.MAX_IMAGE_BODY_BYTES))
                : List.of();
    }

    /** Refuses a request over {@code JERRY_MAX_BODY_BYTES} that shows no image: only images earn the larger limit. */
    void check(Context ctx, List<ChatMessage> messages) {
        long length = ctx.req().getContentLengthLong();
        if (length <= textBytes || messages.stream().anyMatch(m -> !m.images().isEmpty())) {
            return;
        }
        throw new ServiceException.TooLarge(
                "messages",
                "request body is " + length + " bytes; the limit is " + textBytes + " bytes ("
                        + ServerConfig.MAX_BODY_BYTES + "); only a request with images may be larger, up to "
                        + imageBytes + " bytes (" + ModelServiceConfig.MAX_IMAGE_BODY_BYTES + ")");
    }
}
