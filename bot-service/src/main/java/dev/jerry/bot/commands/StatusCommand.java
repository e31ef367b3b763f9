package dev.jerry.bot.commands;

import dev.jerry.bot.StatusReport;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** {@code /jerry-status}: models, queue, cache, knowledge base and agent, only for the caller. */
public final class StatusCommand implements SlashCommand {
    public static final String NAME = "jerry-status";

    private final StatusReport status;
    private final ExecutorService workers;

    public StatusCommand(StatusReport status, ExecutorService workers) {
        this.status = status;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Models, queue, cache and knowledge base (only you see it)")
                .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM);
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        ack.deferPrivately(event, workers, status::status);
    }
}
