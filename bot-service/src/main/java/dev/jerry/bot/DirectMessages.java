package dev.jerry.bot;

import dev.jerry.bot.attach.AttachmentIntake;
import dev.jerry.bot.attach.Incoming;
import dev.jerry.bot.conversations.ChannelSurface;
import dev.jerry.kit.api.AgentChatRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;

/** A DM to the bot is a question: "typing" until the answer shows, then the answer as messages created and edited. */
public final class DirectMessages {
    private static final Duration TYPING_EVERY = Duration.ofSeconds(8);

    private final Gate gate;
    private final BotMetrics metrics;
    private final Answering answering;
    private final ScheduledExecutorService timer;
    private final AttachmentIntake intake;

    /** {@code timer} repeats the "typing" signal; {@code intake} takes the files attached to a DM. */
    public DirectMessages(
            Gate gate,
            BotMetrics metrics,
            Answering answering,
            ScheduledExecutorService timer,
            AttachmentIntake intake) {
        this.gate = gate;
        this.metrics = metrics;
        this.answering = answering;
        this.timer = timer;
        this.intake = intake;
    }

    void onMessage(MessageReceivedEvent event) {
        if (!event.isFromType(ChannelType.PRIVATE)
                || event.getAuthor().isBot()
                || event.getAuthor().isSystem()) {
            return;
        }
        long received = System.nanoTime();
        metrics.interaction("dm");
        MessageChannel channel = event.getChannel();
        Gate.Ask ask = Callers.ask(event.getAuthor(), null, null, channel.getIdLong());
        if (gate.admit(ask) instanceof Gate.Verdict.Refused refused) {
            metrics.refused(refused.reason());
            channel.sendMessage(refused.message()).queue();
            return;
        }
        String prompt = event.getMessage().getContentRaw().strip();
        List<Incoming> files =
                event.getMessage().getAttachments().stream().map(Incoming::of).toList();
        if (prompt.isEmpty() && files.isEmpty()) {
            channel.sendMessage("I read text only: send me your question as a message.")
                    .queue();
            return;
        }
        if (prompt.length() > AgentChatRequest.MAX_MESSAGE_CHARS) {
            channel.sendMessage("That message is " + prompt.length() + " characters; I read at most "
                            + AgentChatRequest.MAX_MESSAGE_CHARS + ". Please shorten it.")
                    .queue();
            return;
        }
        AnswerStream stream = answering.stream(new ChannelSurface(channel, 0), false, received);
        typing(channel, stream);
        String conversation = Callers.conversation(ask);
        AgentChatRequest.UserRef user = Callers.user(event.getAuthor(), null);
        intake.thenAnswer(
                conversation,
                Optional.empty(),
                user,
                files,
                stream,
                prompt.isEmpty()
                        ? Optional.empty()
                        : Optional.of(() -> answering.run(conversation, user, prompt, stream)));
    }

    /** Shows "typing" until the first message of the answer is there (Discord shows it for 10 s per call). */
    private void typing(MessageChannel channel, AnswerStream stream) {
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = timer.scheduleAtFixedRate(
                () -> {
                    if (stream.done().isDone() || stream.finished()) {
                        task[0].cancel(false);
                    } else {
                        channel.sendTyping().queue(null, e -> {});
                    }
                },
                0,
                TYPING_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        stream.done().whenComplete((ok, e) -> task[0].cancel(false));
    }
}
