package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.channels.AgentState;
import dev.jerry.bot.channels.ModelCatalog;
import dev.jerry.bot.channels.Place;
import dev.jerry.bot.channels.SettingsText;
import dev.jerry.kit.api.EffectiveSettings;
import dev.jerry.kit.client.UpstreamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * {@code /jerry-model model: ...}: members who can manage the server set the channel's (or category's) model, anyone
 * else picks one for themselves among the models the place allows ({@code /jerry-config set allowed_models}). The
 * model option autocompletes from model-service's chat models (for others: the allowed ones). agent-service refuses a
 * model that cannot call tools; the answer says whether it can read images.
 */
public final class ModelCommand implements SlashCommand {
    public static final String NAME = "jerry-model";

    private final AgentState state;
    private final ModelCatalog models;
    private final BotMetrics metrics;
    private final ExecutorService workers;

    public ModelCommand(AgentState state, ModelCatalog models, BotMetrics metrics, ExecutorService workers) {
        this.state = state;
        this.models = models;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Choose the model Jerry answers with here")
                .setContexts(InteractionContextType.GUILD)
                .addOptions(
                        new OptionData(OptionType.STRING, "model", "The model (empty: show the current one)")
                                .setAutoComplete(true),
                        ConfigCommand.scopeOption("Admins: where it applies (default: this channel)")
                                .addChoice("only for me", "me"));
    }

    @Override
    public void onAutocomplete(CommandAutoCompleteInteractionEvent event) {
        offer(
                event,
                () -> Admins.is(event.getMember()) || event.getGuildChannel() == null
                        ? models.chatModels()
                        : state.effective(Place.of(event.getGuildChannel()), Optional.empty())
                                .allowedModels()
                                .value());
    }

    /** Answers an autocomplete with the models containing what was typed; none when they cannot be read. */
    static void offer(CommandAutoCompleteInteractionEvent event, Supplier<List<String>> models) {
        String typed = event.getFocusedOption().getValue().strip().toLowerCase(Locale.ROOT);
        List<String> offered;
        try {
            offered = models.get();
        } catch (UpstreamException e) {
            offered = List.of();
        }
        event.replyChoices(offered.stream()
                        .filter(m -> m.toLowerCase(Locale.ROOT).contains(typed))
                        .limit(MAX_CHOICES)
                        .map(m -> new Command.Choice(m, m))
                        .toList())
                .queue();
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        ack.send(event.deferReply(true));
        InteractionHook hook = event.getHook();
        Place place = Place.of(event.getGuildChannel());
        Optional<String> model = Optional.ofNullable(event.getOption("model", OptionMapping::getAsString))
                .map(String::strip)
                .filter(m -> !m.isEmpty());
        boolean admin = Admins.is(event.getMember());
        String scope = event.getOption("scope", admin ? "channel" : "me", OptionMapping::getAsString);
        long user = event.getUser().getIdLong();
        workers.submit(
                () -> hook.editOriginal(run(place, model, admin, scope, user)).queue());
    }

    private String run(Place place, Optional<String> model, boolean admin, String scope, long user) {
        try {
            EffectiveSettings here = state.effective(place, Optional.of(user));
            if (model.isEmpty()) {
                List<String> allowed = here.allowedModels().value();
                return "Jerry answers you here with `" + here.model().value() + "`."
                        + (allowed.isEmpty()
                                ? ""
                                : "\nYou may pick one of: " + String.join(", ", allowed) + " (`/" + NAME
                                        + " model: ...`).");
            }
            String chosen = model.get();
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("model", chosen);
            patch.put("updated_by", String.valueOf(user));
            String target;
            if (scope.equals("me")) {
                if (!here.allowedModels().value().contains(chosen)) {
                    metrics.refused("model_not_allowed");
                    return "`" + chosen + "` is not among the models you may pick here"
                            + (here.allowedModels().value().isEmpty()
                                    ? " (none are allowed; an admin sets them with /jerry-config set allowed_models)."
                                    : ": "
                                            + String.join(
                                                    ", ", here.allowedModels().value()) + ".");
                }
                state.patch(place.guild(), "user:" + user, patch);
                target = "you";
            } else {
                if (!admin) {
                    metrics.refused("admin");
                    return "Only members who can manage this server set a channel's model; pick one for yourself"
                            + " with `scope: only for me`.";
                }
                Optional<Place.Scope> where = place.scope(scope);
                if (where.isEmpty()) {
                    return "This channel has no " + scope + ".";
                }
                patch.put("kind", where.get().kind());
                state.patch(place.guild(), String.valueOf(where.get().id()), patch);
                target = SettingsText.where(where.get());
            }
            List<String> capabilities = models.capabilities(chosen);
            return "✅ Jerry answers " + target + " with `" + chosen + "` (it can: " + String.join(", ", capabilities)
                    + ")." + (capabilities.contains("vision") ? "" : "\nIt cannot read images.");
        } catch (UpstreamException e) {
            metrics.error(e.errorType());
            return ErrorText.of(e);
        }
    }
}
