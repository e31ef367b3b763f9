package dev.jerry.bot;

import dev.jerry.kit.api.AgentChatRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;

/** Who asks, read from JDA's objects once: for the {@link Gate}, for agent-service, and as a conversation id. */
public final class Callers {
    private Callers() {}

    /** The caller of a slash command, in a server channel or in DMs. */
    public static Gate.Ask ask(SlashCommandInteractionEvent event) {
        return ask(
                event.getUser(),
                event.getMember(),
                event.isFromGuild() ? event.getGuild().getIdLong() : null,
                event.getChannelIdLong());
    }

    public static Gate.Ask ask(User user, Member member, Long guild, long channel) {
        Set<Long> roles = member == null
                ? Set.of()
                : member.getRoles().stream().map(Role::getIdLong).collect(Collectors.toUnmodifiableSet());
        return new Gate.Ask(user.getIdLong(), guild, guild == null ? null : channel, roles);
    }

    /** {@code dm:<user>} in DMs, {@code guild:<g>:channel:<c>:user:<u>} in servers (agent-service's format). */
    public static String conversation(Gate.Ask ask) {
        return ask.dm()
                ? "dm:" + ask.user()
                : "guild:" + ask.guild() + ":channel:" + ask.channel() + ":user:" + ask.user();
    }

    /** The user as agent-service sees them: id, the name shown here, and role names. */
    public static AgentChatRequest.UserRef user(User user, Member member) {
        List<String> roles = member == null
                ? List.of()
                : member.getRoles().stream().map(Role::getName).toList();
        return new AgentChatRequest.UserRef(
                user.getId(), member != null ? member.getEffectiveName() : user.getEffectiveName(), roles);
    }
}
