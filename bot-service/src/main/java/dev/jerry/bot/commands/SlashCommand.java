package dev.jerry.bot.commands;

import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * One slash command: its name, how Discord shows it, and what it does when used (the shape of TJ-Bot's
 * {@code SlashCommandAdapter}). The bot registers {@link #data()} and dispatches each interaction by {@link #name()};
 * adding a command is one class and one line in the list of the composition root.
 */
public interface SlashCommand {
    String name();

    SlashCommandData data();

    /**
     * Handles one use on JDA's event thread: acknowledge at once through {@code ack} (Discord allows 3 s), then
     * hand slow work to a worker.
     */
    void onSlashCommand(SlashCommandInteractionEvent event, Ack ack);

    /** Suggests values for an option declared with autocomplete while the user types (answer within 3 s). */
    default void onAutoComplete(CommandAutoCompleteInteractionEvent event) {
        event.replyChoices().queue();
    }
}
