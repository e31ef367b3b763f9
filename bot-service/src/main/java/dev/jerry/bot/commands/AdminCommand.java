package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ModelPull;
import dev.jerry.bot.StatusReport;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/**
 * {@code /jerry-admin ingestion} (the knowledge base's collections), {@code /jerry-admin pull model: ... node: ...}
 * (a model put on one Ollama node, chosen with autocomplete, or on all of them, with a progress bar per node) and
 * {@code /jerry-admin feedback} (the newest ratings and a JSONL export), for members who can manage the server; hidden
 * from the others.
 */
public final class AdminCommand implements SlashCommand {
    public static final String NAME = "jerry-admin";
    static final String NODE = "node";

    private final StatusReport status;
    private final ModelPull pull;
    private final BotMetrics metrics;
    private final ExecutorService workers;
    private final FeedbackReport feedback;

    public AdminCommand(
            StatusReport status, ModelPull pull, BotMetrics metrics, ExecutorService workers, FeedbackReport feedback) {
        this.feedback = feedback;
        this.status = status;
        this.pull = pull;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Jerry administration")
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .addSubcommands(
                        new SubcommandData("ingestion", "The knowledge base: collections and chunks"),
                        new SubcommandData("pull", "Download a model on the Ollama nodes")
                                .addOption(OptionType.STRING, "model", "e.g. llama3.2:3b", true)
                                .addOptions(new OptionData(
                                                OptionType.STRING, NODE, "One node, or all online nodes (the default)")
                                        .setAutoComplete(true)),
                        new SubcommandData("feedback", "The newest 👍/👎 and their answers, with a JSONL export")
                                .addOptions(new OptionData(OptionType.STRING, "rating", "Only these")
                                        .addChoice("👎 down", "down")
                                        .addChoice("👍 up", "up")));
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        if (Admins.refused(event, ack, metrics, NAME)) {
            return;
        }
        ack.send(event.deferReply(true));
        InteractionHook hook = event.getHook();
        String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
        switch (sub) {
            case "ingestion" ->
                workers.submit(() -> hook.editOriginal(status.ingestion()).queue());
            case "pull" -> {
                String name =
                        event.getOption("model", "", OptionMapping::getAsString).strip();
                Optional<String> node = Optional.ofNullable(event.getOption(NODE, OptionMapping::getAsString))
                        .map(String::strip);
                workers.submit(() -> pull.run(
                        name,
                        node,
                        "/" + NAME + " pull",
                        text -> hook.editOriginal(text).complete()));
            }
            case "feedback" -> {
                Optional<String> rating = Optional.ofNullable(event.getOption("rating", OptionMapping::getAsString));
                workers.submit(() -> feedback.show(rating, hook));
            }
            default -> hook.editOriginal("Unknown subcommand '" + sub + "'.").queue();
        }
    }

    /** The node option of {@code pull}: {@code all} and the nodes model-service knows, as the admin types. */
    @Override
    public void onAutocomplete(CommandAutoCompleteInteractionEvent event) {
        if (!NODE.equals(event.getFocusedOption().getName())) {
            event.replyChoices().queue();
            return;
        }
        String typed = event.getFocusedOption().getValue();
        workers.submit(() -> event.replyChoices(pull.nodeChoices(typed, MAX_CHOICES).stream()
                        .map(name -> new Command.Choice(name, name))
                        .toList())
                .queue());
    }
}
