package dev.jerry.bot.channels;

import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.EffectiveSettings;
import java.util.Optional;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;

/**
 * The settings of the place a turn is asked in, applied to it: the persona, the model (a member's own pick where the
 * place allows it), the collection and the cache. Also the seam the thread feature asks whether {@code /jerry} opens
 * a thread by default here. Read from agent-service each time, so that every bot process sees a change at once.
 */
public final class PlaceSettings {
    private final AgentState state;

    public PlaceSettings(AgentState state) {
        this.state = state;
    }

    /** {@code request} with the settings of {@code place} for {@code user}; DMs ({@code place} empty) keep it. */
    public AgentChatRequest apply(AgentChatRequest request, Optional<Place> place, long user) {
        if (place.isEmpty()) {
            return request;
        }
        EffectiveSettings settings = state.effective(place.get(), Optional.of(user));
        String persona = settings.persona().value();
        return request.with(
                persona == null || persona.equals("default") ? null : persona,
                settings.model().value(),
                settings.collection().value(),
                settings.cache().value());
    }

    /**
     * The model the turns of {@code user} go to in {@code place} (the channel's setting or the member's own pick), as
     * {@link #apply} sets it; empty in DMs and where nothing is set (agent-service's own model).
     */
    public Optional<String> model(Optional<Place> place, long user) {
        return place.map(p -> state.effective(p, Optional.of(user)).model().value());
    }

    /** Whether {@code /jerry} opens a thread here when the user does not say ({@code /jerry-config thread_default}). */
    public boolean threadByDefault(GuildChannel channel) {
        return Boolean.TRUE.equals(state.effective(Place.of(channel), Optional.empty())
                .threadDefault()
                .value());
    }
}
