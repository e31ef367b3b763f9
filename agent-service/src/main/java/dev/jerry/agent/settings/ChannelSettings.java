package dev.jerry.agent.settings;

import java.util.List;

/**
 * What one scope (a category, a channel, a thread, or a user's own pick) sets; a null field is not set here and is
 * inherited from the next scope up.
 *
 * @param persona the persona of a message without a leading {@code /name}
 * @param model the chat model asked for at model-service
 * @param collection the knowledge-base collection {@code rag_search} searches
 * @param threadDefault whether {@code /jerry} opens a thread when the user does not say
 * @param cache whether model-service's semantic cache may answer
 * @param allowedModels the models members may pick for themselves with {@code /jerry-model}
 */
public record ChannelSettings(
        String persona,
        String model,
        String collection,
        Boolean threadDefault,
        Boolean cache,
        List<String> allowedModels) {
    public static final ChannelSettings NONE = new ChannelSettings(null, null, null, null, null, null);

    public ChannelSettings {
        allowedModels = allowedModels == null ? null : List.copyOf(allowedModels);
    }

    /** These settings with every field {@code patch} sets or clears applied (see {@link Patch}). */
    ChannelSettings with(Patch patch) {
        return new ChannelSettings(
                patch.persona().apply(persona),
                patch.model().apply(model),
                patch.collection().apply(collection),
                patch.threadDefault().apply(threadDefault),
                patch.cache().apply(cache),
                patch.allowedModels().apply(allowedModels));
    }

    boolean empty() {
        return equals(NONE) || equals(new ChannelSettings(null, null, null, null, null, List.of()));
    }
}
