package dev.jerry.bot.commands;

import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.Answering;
import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.Callers;
import dev.jerry.bot.Gate;
import dev.jerry.bot.attach.AttachmentIntake;
import dev.jerry.bot.attach.Incoming;
import dev.jerry.bot.channels.Place;
import dev.jerry.bot.conversations.ThreadAnswers;
import dev.jerry.bot.conversations.ThreadDefault;
import dev.jerry.kit.api.AgentChatRequest;
import java.util.List;
import java.util.Optional;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /jerry prompt: ... [private] [thread] [attachment]}: the answer streamed into the deferred reply, publicly or
 * only for the caller, or into a thread named after the question ({@link ThreadAnswers}; the channel's default when
 * not given); an attached file is read into the conversation first.
 */
public final class AskCommand implements SlashCommand {
    public static final String NAME = "jerry";
    private static final Logger log = LoggerFactory.getLogger(AskCommand.class);

    private final Gate gate;
    private final BotMetrics metrics;
    private final Answering answering;
    private final ThreadDefault threadDefault;
    private final ThreadAnswers threads;
    private final AttachmentIntake intake;

    /**
     * {@code threadDefault}: whether a channel answers in a thread when {@code thread:} is not given; {@code intake}
     * takes the attached file.
     */
    public AskCommand(
            Gate gate, BotMetrics metrics, Answering answering, ThreadDefault threadDefault, AttachmentIntake intake) {
        this.gate = gate;
        this.metrics = metrics;
        this.answering = answering;
        this.threadDefault = threadDefault;
        this.intake = intake;
        this.threads = new ThreadAnswers(answering, intake);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data() {
        return Commands.slash(NAME, "Ask Jerry")
                .addOptions(
                        new OptionData(
                                        OptionType.STRING,
                                        "prompt",
                                        "Your question; start with /docs, /web... for a persona",
                                        true)
                                .setMaxLength(AgentChatRequest.MAX_MESSAGE_CHARS),
                        new OptionData(OptionType.BOOLEAN, "private", "Only you see the answer"),
                        new OptionData(OptionType.BOOLEAN, "thread", "Answer in a new thread named after the question"),
                        new OptionData(
                                OptionType.ATTACHMENT,
                                "attachment",
                                "A PDF, Markdown or text file (or an image) for Jerry to read"))
                .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM)
                .setIntegrationTypes(IntegrationType.GUILD_INSTALL);
    }

    @Override
    public void onSlashCommand(SlashCommandInteractionEvent event, Ack ack) {
        Gate.Ask ask = Callers.ask(event);
        if (gate.admit(ask) instanceof Gate.Verdict.Refused refused) {
            metrics.refused(refused.reason());
            ack.send(event.reply(refused.message()).setEphemeral(true));
            return;
        }
        String prompt =
                event.getOption("prompt", "", OptionMapping::getAsString).strip();
        boolean ephemeral = event.getOption("private", false, OptionMapping::getAsBoolean);
        InteractionHook hook = event.getHook();
        hook.setEphemeral(ephemeral);
        ack.send(event.deferReply(ephemeral));
        if (prompt.isEmpty()) {
            hook.editOriginal("Ask me something: `/jerry prompt: what is ...`").queue();
            return;
        }
        List<Incoming> files =
                Optional.ofNullable(event.getOption("attachment", OptionMapping::getAsAttachment))
                        .map(Incoming::of)
                        .stream()
                        .toList();
        // after the deferral: the channel's default is read from agent-service
        boolean thread = !ephemeral
                && event.isFromGuild()
                && ThreadAnswers.possible(event.getGuildChannel())
                && event.getOption("thread", () -> threadByDefault(event), OptionMapping::getAsBoolean);
        if (thread) {
            threads.answer(
                    hook,
                    event.getGuildChannel(),
                    Callers.user(event.getUser(), event.getMember()),
                    prompt,
                    files,
                    ack.receivedNanos());
            return;
        }
        AnswerStream stream = answering.stream(new InteractionSurface(hook, ephemeral), true, ack.receivedNanos());
        String conversation = Callers.conversation(ask);
        Optional<Place> place = event.isFromGuild() ? Optional.of(Place.of(event.getGuildChannel())) : Optional.empty();
        AgentChatRequest.UserRef user = Callers.user(event.getUser(), event.getMember());
        intake.thenAnswer(
                conversation,
                place,
                user,
                files,
                stream,
                Optional.of(() -> answering.run(conversation, user, prompt, place, stream)));
    }

    private boolean threadByDefault(SlashCommandInteractionEvent event) {
        try {
            return threadDefault.opensThread(event.getGuildChannel());
        } catch (RuntimeException e) {
            // the settings cannot be read (agent-service away): answer in place, as without a setting
            log.warn("the thread default of channel {} could not be read: {}", event.getChannelId(), e.getMessage());
            return false;
        }
    }
}
