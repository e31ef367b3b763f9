package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.channels.AgentState;
import dev.jerry.bot.channels.ModelCatalog;
import dev.jerry.bot.channels.Place;
import dev.jerry.bot.channels.SettingsText;
import dev.jerry.kit.client.UpstreamException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/**
 * {@code /jerry-config set|clear|show}: a channel's or a whole category's persona, model, knowledge collection,
 * thread default, cache use and the models members may pick (threads inherit from their channel, channels from their
 * category), for members who can manage the server. Kept by agent-service, so every bot process applies a change at
 * once; agent-service checks each value (a known persona, a model that can call tools).
 */
public final class ConfigCommand implements SlashCommand {
    public static final String NAME = "jerry-config";
    static final List<String> SETTINGS =
            List.of("persona", "model", "collection", "thread_default", "cache", "allowed_models");

    private final AgentState state;
    private final ModelCatalog models;
    private final BotMetrics metrics;
    private final ExecutorService workers;

    public ConfigCommand(AgentState state, ModelCatalog models, BotMetrics metrics, ExecutorService workers) {
        this.state = state;
        this.models = models;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    static OptionData scopeOption(String description) {
        return new OptionData(OptionType.STRING, "scope", description)
                .addChoice("this channel", "channel")
                .addChoice("this channel's category", "category");
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Jerry's settings for a channel or a category")
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .addSubcommands(
                        new SubcommandData("set", "Set Jerry's persona, model, collection... here")
                                .addOptions(
                                        scopeOption("Where it applies (default: this channel; threads inherit)"),
                                        new OptionData(OptionType.STRING, "persona", "docs, web, ... or default"),
                                        new OptionData(OptionType.STRING, "model", "A model of model-service")
                                                .setAutoComplete(true),
                                        new OptionData(OptionType.STRING, "collection", "Knowledge-base collection"),
                                        new OptionData(OptionType.BOOLEAN, "thread_default", "/jerry opens a thread"),
                                        new OptionData(OptionType.BOOLEAN, "cache", "Answers may come from the cache"),
                                        new OptionData(
                                                OptionType.STRING,
                                                "allowed_models",
                                                "Models members may pick with /jerry-model, comma-separated")),
                        new SubcommandData("clear", "Inherit a setting again (or all of them)")
                                .addOptions(
                                        new OptionData(OptionType.STRING, "setting", "Which one", true)
                                                .addChoices(SETTINGS.stream()
                                                        .map(s ->
                                                                new net.dv8tion.jda.api.interactions.commands.Command
                                                                        .Choice(s, s))
                                                        .toList())
                                                .addChoice("all", "all"),
                                        scopeOption("Where (default: this channel)")),
                        new SubcommandData("show", "The settings here and where each comes from"));
    }

    /** {@code model:} autocompletes from model-service's chat models. */
    @Override
    public void onAutocomplete(CommandAutoCompleteInteractionEvent event) {
        ModelCommand.offer(event, () -> models.chatModels());
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        if (Admins.refused(event, ack, metrics, NAME)) {
            return;
        }
        ack.send(event.deferReply(true));
        InteractionHook hook = event.getHook();
        Place place = Place.of(event.getGuildChannel());
        String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
        String scopeKind = event.getOption("scope", "channel", OptionMapping::getAsString);
        Map<String, Object> patch = new LinkedHashMap<>();
        if (sub.equals("set")) {
            for (OptionMapping option : event.getOptions()) {
                switch (option.getName()) {
                    case "scope" -> {}
                    case "thread_default", "cache" -> patch.put(option.getName(), option.getAsBoolean());
                    case "allowed_models" ->
                        patch.put(
                                option.getName(),
                                Arrays.stream(option.getAsString().split("[,\\s]+"))
                                        .filter(m -> !m.isBlank())
                                        .toList());
                    default -> patch.put(option.getName(), option.getAsString().strip());
                }
            }
        } else if (sub.equals("clear")) {
            String setting = event.getOption("setting", "all", OptionMapping::getAsString);
            (setting.equals("all") ? SETTINGS : List.of(setting)).forEach(s -> patch.put(s, null));
        }
        long by = event.getUser().getIdLong();
        workers.submit(
                () -> hook.editOriginal(run(sub, place, scopeKind, patch, by)).queue());
    }

    private String run(String sub, Place place, String scopeKind, Map<String, Object> patch, long by) {
        try {
            if (sub.equals("show")) {
                return SettingsText.show(place, state.effective(place, Optional.empty()));
            }
            Optional<Place.Scope> scope = place.scope(scopeKind);
            if (scope.isEmpty()) {
                return "This channel has no " + scopeKind + "; use scope: this channel.";
            }
            if (sub.equals("set") && patch.isEmpty()) {
                return "Say what to set, e.g. `/" + NAME + " set persona: docs`.";
            }
            Map<String, Object> body = new LinkedHashMap<>(patch);
            body.put("kind", scope.get().kind());
            body.put("updated_by", String.valueOf(by));
            state.patch(place.guild(), String.valueOf(scope.get().id()), body);
            return (sub.equals("set") ? "✅ Set for " : "✅ Cleared for ") + SettingsText.where(scope.get()) + ".\n\n"
                    + SettingsText.show(place, state.effective(place, Optional.empty()));
        } catch (UpstreamException e) {
            metrics.error(e.errorType());
            return ErrorText.of(e);
        }
    }
}
