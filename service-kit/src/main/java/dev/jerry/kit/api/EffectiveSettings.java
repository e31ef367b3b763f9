package dev.jerry.kit.api;

import java.util.List;

/**
 * {@code GET /v1/settings/{guild}/effective} of agent-service: the settings a turn in one place gets, each with where
 * it comes from.
 *
 * @param persona the persona of a message without a leading {@code /name} ({@code default}: Jerry's own)
 * @param model the chat model
 * @param collection the knowledge-base collection (absent: rag-service's default)
 * @param threadDefault whether {@code /jerry} opens a thread when the user does not say
 * @param cache whether model-service's semantic cache may answer
 * @param allowedModels the models members may pick for themselves
 */
public record EffectiveSettings(
        Value<String> persona,
        Value<String> model,
        Value<String> collection,
        Value<Boolean> threadDefault,
        Value<Boolean> cache,
        Value<List<String>> allowedModels) {
    /**
     * One setting.
     *
     * @param from {@code thread}, {@code channel}, {@code category}, {@code user} or {@code default}
     * @param scope the id of the scope that sets it (absent for the default)
     */
    public record Value<T>(T value, String from, String scope) {}
}
