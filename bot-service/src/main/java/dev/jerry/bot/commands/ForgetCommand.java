package dev.jerry.bot.commands;

import dev.jerry.bot.AgentClient;
import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.Callers;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.Gate;
import dev.jerry.kit.client.UpstreamException;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** {@code /jerry-forget}: agent-service forgets the caller's conversation in this channel (or in DMs). */
public final class ForgetCommand implements SlashCommand {
    public static final String NAME = "jerry-forget";

    private final AgentClient agent;
    private final BotMetrics metrics;
    private final ExecutorService workers;

    public ForgetCommand(AgentClient agent, BotMetrics metrics, ExecutorService workers) {
        this.agent = agent;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Jerry forgets your conversation here")
                .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM);
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        Gate.Ask ask = Callers.ask(event);
        ack.deferPrivately(event, workers, () -> forget(ask));
    }

    private String forget(Gate.Ask ask) {
        try {
            agent.forget(Callers.conversation(ask));
            return ask.dm()
                    ? "Done: I forgot our DM conversation."
                    : "Done: I forgot our conversation in this channel.";
        } catch (UpstreamException e) {
            metrics.error(e.errorType());
            return ErrorText.of(e);
        }
    }
}
