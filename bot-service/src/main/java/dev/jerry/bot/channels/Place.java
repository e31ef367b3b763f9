package dev.jerry.bot.channels;

import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.entities.channel.attribute.ICategorizableChannel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;

/**
 * Where in a server something is asked: the guild and the chain of scopes settings are inherited along, most specific
 * first (a thread, its channel, the channel's category).
 */
public record Place(long guild, List<Scope> chain) {
    /** A thread, channel or category. */
    public record Scope(long id, String kind, String name) {}

    public Place {
        chain = List.copyOf(chain);
    }

    /** The place of a guild channel or thread, read from JDA's cache. */
    public static Place of(GuildChannel channel) {
        List<Scope> chain = new ArrayList<>();
        GuildChannel current = channel;
        if (channel instanceof ThreadChannel thread) {
            chain.add(new Scope(thread.getIdLong(), "thread", thread.getName()));
            current = thread.getParentChannel();
        }
        chain.add(new Scope(current.getIdLong(), "channel", current.getName()));
        if (current instanceof ICategorizableChannel categorized && categorized.getParentCategoryIdLong() != 0) {
            var category = categorized.getParentCategory();
            chain.add(new Scope(
                    categorized.getParentCategoryIdLong(),
                    "category",
                    category == null ? String.valueOf(categorized.getParentCategoryIdLong()) : category.getName()));
        }
        return new Place(channel.getGuild().getIdLong(), chain);
    }

    /** The scope of this kind in the chain, if the place has one. */
    public java.util.Optional<Scope> scope(String kind) {
        return chain.stream().filter(s -> s.kind().equals(kind)).findFirst();
    }

    /** The scope ids, most specific first, as agent-service's {@code scopes} query takes them. */
    String ids() {
        return String.join(",", chain.stream().map(s -> String.valueOf(s.id())).toList());
    }
}
