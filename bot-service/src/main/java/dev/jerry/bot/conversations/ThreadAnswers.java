package dev.jerry.bot.conversations;

import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.Answering;
import dev.jerry.bot.attach.AttachmentIntake;
import dev.jerry.bot.attach.Incoming;
import dev.jerry.bot.channels.Place;
import dev.jerry.kit.api.AgentChatRequest;
import java.util.List;
import java.util.Optional;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.attribute.IThreadContainer;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.interactions.InteractionHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /jerry ... thread:true}: the deferred response shows the question, a thread named after it opens on that
 * message, and the answer streams inside. The thread is the conversation from then on ({@link GuildMessages}). When
 * Discord refuses the thread (no permission, a channel without threads), the answer replies to the response instead.
 */
public final class ThreadAnswers {
    private static final Logger log = LoggerFactory.getLogger(ThreadAnswers.class);
    /** Discord's limit for a thread's name. */
    static final int MAX_NAME = 100;

    private final Answering answering;
    private final AttachmentIntake intake;

    /** {@code intake} takes the files attached to the question into the thread's (or chain's) conversation. */
    public ThreadAnswers(Answering answering, AttachmentIntake intake) {
        this.answering = answering;
        this.intake = intake;
    }

    /** Whether a thread can be opened where this command was used (a server channel that holds threads). */
    public static boolean possible(GuildChannel channel) {
        return channel instanceof IThreadContainer && !(channel instanceof ThreadChannel);
    }

    /** After the deferral: opens the thread and answers in it; returns at once. */
    public void answer(
            InteractionHook hook,
            GuildChannel channel,
            AgentChatRequest.UserRef user,
            String prompt,
            List<Incoming> files,
            long receivedNanos) {
        IThreadContainer container = (IThreadContainer) channel;
        long guild = channel.getGuild().getIdLong();
        hook.editOriginal("🧵 " + quote(prompt)).submit().whenComplete((original, failed) -> {
            if (failed != null) {
                log.warn("could not show the question of a thread answer: {}", failed.getMessage());
                return;
            }
            container
                    .createThreadChannel(name(prompt), original.getIdLong())
                    .submit()
                    .whenComplete((thread, refused) -> {
                        if (refused != null) {
                            log.warn("could not open a thread in {}: {}", channel.getId(), refused.getMessage());
                            answerBelow(guild, original, user, prompt, files, receivedNanos);
                            return;
                        }
                        String conversation = ConversationIds.thread(guild, channel.getIdLong(), thread.getIdLong());
                        AnswerStream stream = answering.stream(new ChannelSurface(thread, 0), true, receivedNanos);
                        Optional<Place> place = Optional.of(Place.of(thread));
                        intake.thenAnswer(
                                conversation,
                                place,
                                user,
                                files,
                                stream,
                                Optional.of(() -> answering.run(conversation, user, prompt, place, stream)));
                    });
        });
    }

    private void answerBelow(
            long guild,
            Message original,
            AgentChatRequest.UserRef user,
            String prompt,
            List<Incoming> files,
            long receivedNanos) {
        MessageChannel channel = original.getChannel();
        String conversation = ConversationIds.chain(guild, channel.getIdLong(), original.getIdLong());
        AnswerStream stream = answering.stream(new ChannelSurface(channel, original.getIdLong()), true, receivedNanos);
        Optional<Place> place = Optional.of(Place.of((GuildChannel) channel));
        intake.thenAnswer(
                conversation,
                place,
                user,
                files,
                stream,
                Optional.of(() -> answering.run(conversation, user, prompt, place, stream)));
    }

    /** The thread's name: the question on one line, clipped to Discord's limit. */
    static String name(String prompt) {
        String flat = prompt.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_NAME ? flat : flat.substring(0, MAX_NAME - 1) + "…";
    }

    private static String quote(String prompt) {
        String flat = prompt.replaceAll("\\s+", " ").strip();
        return "**" + (flat.length() <= 300 ? flat : flat.substring(0, 299) + "…") + "**";
    }
}
