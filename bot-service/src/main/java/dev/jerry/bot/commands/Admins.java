package dev.jerry.bot.commands;

import dev.jerry.bot.BotMetrics;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;

/** Who administers Jerry on a server: members who can manage it. */
final class Admins {
    private Admins() {}

    static boolean is(Member member) {
        return member != null && member.hasPermission(Permission.MANAGE_SERVER);
    }

    /** Refuses (and counts) a caller who is not an admin; whether it did. */
    static boolean refused(SlashCommandInteractionEvent event, Ack ack, BotMetrics metrics, String command) {
        if (is(event.getMember())) {
            return false;
        }
        metrics.refused("admin");
        ack.send(event.reply("Only members who can manage this server may use /" + command + ".")
                .setEphemeral(true));
        return true;
    }
}
