package dev.jerry.bot.conversations;

import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.Answering;
import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.Callers;
import dev.jerry.bot.Gate;
import dev.jerry.bot.attach.AttachmentIntake;
import dev.jerry.bot.attach.Incoming;
import dev.jerry.bot.channels.Place;
import dev.jerry.kit.api.AgentChatRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageReference;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages in servers: one that mentions Jerry, or replies to one of its answers, is answered as a reply, with the
 * reply chain above it as the conversation ({@link ReplyChain}). In a thread Jerry opened, the thread is the
 * conversation: every message continues it when the bot may read every message (the privileged MESSAGE_CONTENT
 * intent, {@code JERRY_DISCORD_MESSAGE_CONTENT=true}); without it Discord gives the bot the text of mentions and of
 * replies that mention it only, so those are what it answers. DMs are {@code DirectMessages}'.
 */
public final class GuildMessages extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GuildMessages.class);

    private final Gate gate;
    private final BotMetrics metrics;
    private final Answering answering;
    private final AttachmentIntake intake;
    private final boolean messageContent;

    /**
     * {@code intake} takes the files attached to a message into its conversation before the answer;
     * {@code messageContent}: whether the bot was given the MESSAGE_CONTENT intent.
     */
    public GuildMessages(
            Gate gate, BotMetrics metrics, Answering answering, AttachmentIntake intake, boolean messageContent) {
        this.gate = gate;
        this.metrics = metrics;
        this.answering = answering;
        this.intake = intake;
        this.messageContent = messageContent;
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        if (!event.isFromGuild()
                || event.getAuthor().isBot()
                || event.getAuthor().isSystem()
                || event.isWebhookMessage()) {
            return;
        }
        long jerry = event.getJDA().getSelfUser().getIdLong();
        Message message = event.getMessage();
        boolean mentioned = message.getMentions().isMentioned(event.getJDA().getSelfUser(), Message.MentionType.USER);
        Message parent = message.getReferencedMessage();
        boolean repliesToJerry = parent != null && parent.getAuthor().getIdLong() == jerry;
        GuildMessageChannel channel = event.getGuildChannel();
        if (channel instanceof ThreadChannel thread) {
            if (thread.getOwnerIdLong() == jerry && (messageContent || mentioned || repliesToJerry)) {
                answer(event, "thread", thread.getParentChannel().getIdLong(), jerry, false);
                return;
            }
        }
        if (mentioned || repliesToJerry) {
            answer(event, mentioned && !repliesToJerry ? "mention" : "reply", channel.getIdLong(), jerry, true);
        }
    }

    private void answer(MessageReceivedEvent event, String kind, long settingsChannel, long jerry, boolean chain) {
        long received = System.nanoTime();
        metrics.interaction(kind);
        Message message = event.getMessage();
        GuildMessageChannel channel = event.getGuildChannel();
        long guild = event.getGuild().getIdLong();
        Gate.Ask ask = Callers.ask(event.getAuthor(), event.getMember(), guild, settingsChannel);
        if (gate.admit(ask) instanceof Gate.Verdict.Refused refused) {
            metrics.refused(refused.reason());
            message.reply(refused.message()).mentionRepliedUser(false).queue();
            return;
        }
        String prompt = ReplyChain.prompt(message.getContentRaw(), jerry);
        List<Incoming> files =
                message.getAttachments().stream().map(Incoming::of).toList();
        if (prompt.isEmpty() && files.isEmpty()) {
            String hint = message.getContentRaw().isEmpty() && !messageContent
                    ? "I can read only messages that mention me: reply with the @Jerry mention on"
                            + " (or ask the operator to enable JERRY_DISCORD_MESSAGE_CONTENT)."
                    : "Ask me something after the mention: `@Jerry what is ...`";
            message.reply(hint).mentionRepliedUser(false).queue();
            return;
        }
        if (prompt.length() > AgentChatRequest.MAX_MESSAGE_CHARS) {
            message.reply("That message is " + prompt.length() + " characters; I read at most "
                            + AgentChatRequest.MAX_MESSAGE_CHARS + ". Please shorten it.")
                    .mentionRepliedUser(false)
                    .queue();
            return;
        }
        channel.sendTyping().queue(null, e -> {});
        AgentChatRequest.UserRef user = Callers.user(event.getAuthor(), event.getMember());
        Optional<Place> place = Optional.of(Place.of(channel));
        String conversation;
        List<AgentChatRequest.HistoryMessage> history;
        if (chain) {
            // handlers run on virtual threads: reading the chain over REST blocks nobody
            ReplyChain.Path path = ReplyChain.read(link(message, jerry), jerry, new Lookup(channel, jerry, message));
            conversation = ConversationIds.chain(guild, channel.getIdLong(), path.root());
            history = path.history();
        } else {
            conversation = ConversationIds.thread(guild, settingsChannel, channel.getIdLong());
            history = null;
        }
        AnswerStream stream = answering.stream(new ChannelSurface(channel, message.getIdLong()), true, received);
        // a message with only files: Jerry says what it read
        intake.thenAnswer(
                conversation,
                place,
                user,
                files,
                stream,
                prompt.isEmpty()
                        ? Optional.empty()
                        : Optional.of(() -> answering.run(conversation, user, prompt, place, history, stream)));
    }

    private static ReplyChain.Link link(Message message, long jerry) {
        MessageReference reference = message.getMessageReference();
        return new ReplyChain.Link(
                message.getIdLong(),
                message.getAuthor().getIdLong() == jerry,
                message.getContentRaw(),
                reference == null ? OptionalLong.empty() : OptionalLong.of(reference.getMessageIdLong()));
    }

    /** Messages of one channel: those Discord sent along ({@code referenced_message}) first, then over REST. */
    private static final class Lookup implements ReplyChain.Lookup {
        private final GuildMessageChannel channel;
        private final long jerry;
        private final Map<Long, Message> known = new HashMap<>();

        Lookup(GuildMessageChannel channel, long jerry, Message start) {
            this.channel = channel;
            this.jerry = jerry;
            remember(start);
        }

        private void remember(Message message) {
            Message parent = message.getReferencedMessage();
            if (parent != null) {
                known.put(parent.getIdLong(), parent);
            }
        }

        @Override
        public Optional<ReplyChain.Link> find(long id) {
            Message message = known.get(id);
            if (message == null) {
                try {
                    message = channel.retrieveMessageById(id).complete();
                } catch (ErrorResponseException | InsufficientPermissionException e) {
                    log.debug("message {} of the chain cannot be read: {}", id, e.getMessage());
                    return Optional.empty();
                }
            }
            remember(message);
            return Optional.of(link(message, jerry));
        }
    }
}
