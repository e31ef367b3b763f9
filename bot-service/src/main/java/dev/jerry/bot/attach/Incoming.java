package dev.jerry.bot.attach;

import java.net.URI;
import net.dv8tion.jda.api.entities.Message;

/** A file a user attached, as Discord describes it: name, reported type and size, and its CDN URL. */
public record Incoming(String filename, String contentType, long size, URI url) {
    public static Incoming of(Message.Attachment attachment) {
        return new Incoming(
                attachment.getFileName(),
                attachment.getContentType(),
                attachment.getSize(),
                URI.create(attachment.getUrl()));
    }
}
