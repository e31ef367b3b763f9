package dev.jerry.agent.settings;

import dev.jerry.kit.api.EffectiveSettings;
import dev.jerry.kit.api.EffectiveSettings.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings a turn in one place gets, each with where it comes from: the first scope of the chain (thread, then
 * its channel, then the channel's category) that sets it, else the default. A member's own model pick wins when the
 * place allows that model.
 */
public final class Effective {
    public static final String DEFAULT = "default";

    private Effective() {}

    /**
     * @param chain the scope ids from the most specific (thread) to the least (category)
     * @param stored what those scopes set, by scope id
     * @param pick the member's own settings ({@code user:<id>}), if any
     * @param defaultModel the agent's model ({@code JERRY_AGENT_MODEL})
     */
    public static EffectiveSettings resolve(
            List<String> chain,
            Map<String, SettingsStore.Scope> stored,
            Optional<SettingsStore.Scope> pick,
            String defaultModel) {
        Value<List<String>> allowed = first(chain, stored, ChannelSettings::allowedModels, List.of());
        Value<String> model = first(chain, stored, ChannelSettings::model, defaultModel);
        Optional<String> own = pick.map(p -> p.settings().model()).filter(allowed.value()::contains);
        if (own.isPresent()) {
            model = new Value<>(own.get(), "user", pick.get().scopeId());
        }
        return new EffectiveSettings(
                first(chain, stored, ChannelSettings::persona, DEFAULT),
                model,
                first(chain, stored, ChannelSettings::collection, null),
                first(chain, stored, ChannelSettings::threadDefault, false),
                first(chain, stored, ChannelSettings::cache, true),
                allowed);
    }

    private static <T> Value<T> first(
            List<String> chain,
            Map<String, SettingsStore.Scope> stored,
            Function<ChannelSettings, T> field,
            T fallback) {
        for (String id : chain) {
            SettingsStore.Scope scope = stored.get(id);
            if (scope != null && field.apply(scope.settings()) != null) {
                return new Value<>(field.apply(scope.settings()), scope.kind(), id);
            }
        }
        return new Value<>(fallback, DEFAULT, null);
    }
}
