package dev.jerry.bot;

import dev.jerry.bot.commands.Ack;
import dev.jerry.bot.commands.SlashCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord listener: registers the slash commands (the first shard does, globally) and dispatches each interaction
 * to its command by name and each DM to {@link DirectMessages}. It holds no logic of its own.
 *
 * <p>Handlers run on virtual threads (see {@link DiscordConnection}); every command acknowledges at once and hands
 * slow work to a worker. The bot keeps no state per shard: a conversation is identified by guild, channel and user,
 * or by the user in DMs.
 */
public final class JerryBot extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(JerryBot.class);

    private final Map<String, SlashCommand> commands = new LinkedHashMap<>();
    private final DirectMessages directMessages;
    private final BotMetrics metrics;

    public JerryBot(List<SlashCommand> commands, DirectMessages directMessages, BotMetrics metrics) {
        for (SlashCommand command : commands) {
            if (this.commands.put(command.name(), command) != null) {
                throw new IllegalArgumentException("two slash commands are named " + command.name());
            }
        }
        this.directMessages = directMessages;
        this.metrics = metrics;
    }

    @Override
    public void onReady(ReadyEvent event) {
        JDA jda = event.getJDA();
        if (jda.getShardInfo().getShardId() == 0) {
            jda.updateCommands()
                    .addCommands(
                            commands.values().stream().map(SlashCommand::data).toList())
                    .queue(
                            done -> log.info("registered {} slash commands", done.size()),
                            error -> log.error("could not register the slash commands: {}", error.getMessage()));
        }
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        Ack ack = new Ack(metrics, System.nanoTime());
        String name = event.getName();
        metrics.interaction(name);
        SlashCommand command = commands.get(name);
        if (command == null) {
            event.reply("Unknown command /" + name + ".").setEphemeral(true).queue();
            return;
        }
        command.onSlashCommand(event, ack);
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        SlashCommand command = commands.get(event.getName());
        if (command != null) {
            command.onAutoComplete(event);
        }
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        directMessages.onMessage(event);
    }
}
