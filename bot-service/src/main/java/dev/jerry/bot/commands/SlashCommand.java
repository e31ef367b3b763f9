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
    /** Discord offers at most 25 autocomplete choices. */
    int MAX_CHOICES = 25;

    String name();

    SlashCommandData data();

    /**
     * Handles one use on JDA's event thread: acknowledge at once through {@code ack} (Discord allows 3 s), then
     * hand slow work to a worker.
     */
    void onSlashCommand(SlashCommandInteractionEvent event, Ack ack);

    /** Suggestions for an option with autocomplete while the user types (Discord allows 3 s); none by default. */
    default void onAutocomplete(CommandAutoCompleteInteractionEvent event) {
        event.replyChoices(java.util.List.of()).queue();
    }
}
