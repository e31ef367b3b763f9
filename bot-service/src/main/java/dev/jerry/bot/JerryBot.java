package dev.jerry.bot;

import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord side of Jerry: registers the slash commands, answers {@code /jerry} and DMs by streaming
 * agent-service's answer into the reply, and runs {@code /jerry-forget}, {@code /jerry-status} and the admin commands.
 *
 * <p>Every interaction is acknowledged at once on JDA's event thread (Discord allows 3 s); the work runs on virtual
 * threads. Every path ends in a visible answer or a readable error. The bot keeps no state per shard: a conversation
 * is identified by guild, channel and user, or by the user in DMs.
 */
public final class JerryBot extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(JerryBot.class);
    public static final String JERRY = "jerry";
    public static final String FORGET = "jerry-forget";
    public static final String STATUS = "jerry-status";
    public static final String ADMIN = "jerry-admin";
    private static final Duration TYPING_EVERY = Duration.ofSeconds(8);
    private static final Duration PULL_POLL = Duration.ofSeconds(2);
    private static final Duration PULL_LONGEST = Duration.ofMinutes(14); // an interaction token lives 15 minutes

    private final BotServiceConfig config;
    private final AgentClient agent;
    private final ServiceClient model;
    private final StatusReport status;
    private final Gate gate;
    private final BotMetrics metrics;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    public JerryBot(
            BotServiceConfig config,
            AgentClient agent,
            ServiceClient model,
            StatusReport status,
            Gate gate,
            BotMetrics metrics,
            ExecutorService workers,
            ScheduledExecutorService timer) {
        this.config = config;
        this.agent = agent;
        this.model = model;
        this.status = status;
        this.gate = gate;
        this.metrics = metrics;
        this.workers = workers;
        this.timer = timer;
    }

    /** The commands this bot offers; registered globally by the first shard. */
    public static List<CommandData> commands() {
        return List.of(
                Commands.slash(JERRY, "Ask Jerry")
                        .addOptions(
                                new OptionData(
                                                OptionType.STRING,
                                                "prompt",
                                                "Your question; start with /docs, /web... for a persona",
                                                true)
                                        .setMaxLength(AgentChatRequest.MAX_MESSAGE_CHARS),
                                new OptionData(OptionType.BOOLEAN, "private", "Only you see the answer"))
                        .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM)
                        .setIntegrationTypes(IntegrationType.GUILD_INSTALL),
                Commands.slash(FORGET, "Jerry forgets your conversation here")
                        .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM),
                Commands.slash(STATUS, "Models, queue, cache and knowledge base (only you see it)")
                        .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM),
                Commands.slash(ADMIN, "Jerry administration")
                        .setContexts(InteractionContextType.GUILD)
                        .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                        .addSubcommands(
                                new SubcommandData("ingestion", "The knowledge base: collections and chunks"),
                                new SubcommandData("pull", "Download a model on the Ollama nodes")
                                        .addOption(OptionType.STRING, "model", "e.g. llama3.2:3b", true)));
    }

    @Override
    public void onReady(ReadyEvent event) {
        JDA jda = event.getJDA();
        if (jda.getShardInfo().getShardId() == 0) {
            jda.updateCommands()
                    .addCommands(commands())
                    .queue(
                            done -> log.info("registered {} slash commands", done.size()),
                            error -> log.error("could not register the slash commands: {}", error.getMessage()));
        }
    }

    // ---- slash commands -----------------------------------------------------------------------------------------

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        long received = System.nanoTime();
        String command = event.getName();
        metrics.interaction(command);
        Gate.Ask ask = ask(
                event.getUser(),
                event.getMember(),
                event.isFromGuild() ? event.getGuild().getIdLong() : null,
                event.getChannelIdLong());
        switch (command) {
            case JERRY -> jerry(event, ask, received);
            case FORGET -> forget(event, ask, received);
            case STATUS -> status(event, received);
            case ADMIN -> admin(event, received);
            default ->
                event.reply("Unknown command /" + command + ".")
                        .setEphemeral(true)
                        .queue();
        }
    }

    private void jerry(SlashCommandInteractionEvent event, Gate.Ask ask, long received) {
        Gate.Verdict verdict = gate.admit(ask);
        if (verdict instanceof Gate.Verdict.Refused refused) {
            metrics.refused(refused.reason());
            acked(event.reply(refused.message()).setEphemeral(true).submit(), received);
            return;
        }
        String prompt =
                event.getOption("prompt", "", OptionMapping::getAsString).strip();
        boolean ephemeral = event.getOption("private", false, OptionMapping::getAsBoolean);
        InteractionHook hook = event.getHook();
        hook.setEphemeral(ephemeral);
        acked(event.deferReply(ephemeral).submit(), received);
        if (prompt.isEmpty()) {
            hook.editOriginal("Ask me something: `/jerry prompt: what is ...`").queue();
            return;
        }
        AnswerStream stream = new AnswerStream(
                new InteractionSurface(hook, ephemeral), config.editInterval(), timer, true, metrics.answer(received));
        run(conversation(ask), user(event.getUser(), event.getMember()), prompt, stream);
    }

    private void forget(SlashCommandInteractionEvent event, Gate.Ask ask, long received) {
        acked(event.deferReply(true).submit(), received);
        InteractionHook hook = event.getHook();
        workers.submit(() -> {
            String text;
            try {
                agent.forget(conversation(ask));
                text = ask.dm()
                        ? "Done: I forgot our DM conversation."
                        : "Done: I forgot our conversation in this channel.";
            } catch (UpstreamException e) {
                metrics.error(e.errorType());
                text = Readable.of(e);
            }
            hook.editOriginal(text).queue();
        });
    }

    private void status(SlashCommandInteractionEvent event, long received) {
        acked(event.deferReply(true).submit(), received);
        InteractionHook hook = event.getHook();
        workers.submit(() -> hook.editOriginal(status.status()).queue());
    }

    private void admin(SlashCommandInteractionEvent event, long received) {
        Member member = event.getMember();
        if (member == null || !member.hasPermission(Permission.MANAGE_SERVER)) {
            metrics.refused("admin");
            acked(
                    event.reply("Only members who can manage this server may use /" + ADMIN + ".")
                            .setEphemeral(true)
                            .submit(),
                    received);
            return;
        }
        acked(event.deferReply(true).submit(), received);
        InteractionHook hook = event.getHook();
        String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
        switch (sub) {
            case "ingestion" ->
                workers.submit(() -> hook.editOriginal(status.ingestion()).queue());
            case "pull" -> {
                String name =
                        event.getOption("model", "", OptionMapping::getAsString).strip();
                workers.submit(() -> pull(hook, name));
            }
            default -> hook.editOriginal("Unknown subcommand '" + sub + "'.").queue();
        }
    }

    /** Asks model-service for the model until it is there, showing the download's progress. */
    private void pull(InteractionHook hook, String name) {
        long deadline = System.nanoTime() + PULL_LONGEST.toNanos();
        String last = "";
        while (true) {
            String text;
            boolean over = true;
            try {
                model.post("/api/pull", Map.of("model", name, "stream", false), Map.class);
                text = "✅ Model `" + name + "` is ready.";
            } catch (UpstreamException.Busy | UpstreamException.Unavailable e) {
                text = "⏳ " + Readable.clip(e.getMessage());
                over = false;
            } catch (UpstreamException e) {
                text = e instanceof UpstreamException.BadResponse bad && bad.upstreamStatus() == 404
                        ? "❌ " + Readable.clip(e.getMessage())
                        : Readable.of(e);
            }
            if (!text.equals(last)) {
                hook.editOriginal(text).complete();
                last = text;
            }
            if (over) {
                return;
            }
            if (System.nanoTime() > deadline) {
                hook.editOriginal(last + "\nStill downloading; check again with `/" + ADMIN + " pull` later.")
                        .queue();
                return;
            }
            try {
                Thread.sleep(PULL_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- direct messages ----------------------------------------------------------------------------------------

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        if (!event.isFromType(ChannelType.PRIVATE)
                || event.getAuthor().isBot()
                || event.getAuthor().isSystem()) {
            return;
        }
        long received = System.nanoTime();
        metrics.interaction("dm");
        MessageChannel channel = event.getChannel();
        Gate.Ask ask = ask(event.getAuthor(), null, null, channel.getIdLong());
        Gate.Verdict verdict = gate.admit(ask);
        if (verdict instanceof Gate.Verdict.Refused refused) {
            metrics.refused(refused.reason());
            channel.sendMessage(refused.message()).queue();
            return;
        }
        String prompt = event.getMessage().getContentRaw().strip();
        if (prompt.isEmpty()) {
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
        AnswerStream stream =
                new AnswerStream(new DmSurface(channel), config.editInterval(), timer, false, metrics.answer(received));
        typing(channel, stream);
        run(conversation(ask), user(event.getAuthor(), null), prompt, stream);
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

    // ---- the answer ---------------------------------------------------------------------------------------------

    private void run(String conversationId, AgentChatRequest.UserRef user, String prompt, AnswerStream stream) {
        Future<?> call = workers.submit(() -> {
            try {
                agent.chat(conversationId, user, prompt, new AgentClient.Events() {
                    @Override
                    public void status(String text) {
                        stream.status(text);
                    }

                    @Override
                    public void delta(String text) {
                        stream.delta(text);
                    }

                    @Override
                    public void done(AgentChatResponse response) {
                        stream.finish(response.reply(), response.sources());
                    }

                    @Override
                    public void error(String type, String message) {
                        metrics.error(type);
                        stream.fail(Readable.ofEvent(type, message));
                    }
                });
            } catch (UpstreamException e) {
                if (!stream.finished()) {
                    metrics.error(e.errorType());
                    stream.fail(Readable.of(e));
                }
            } catch (RuntimeException e) {
                log.error("answering failed", e);
                metrics.error("internal");
                stream.fail(Readable.of(e));
            }
        });
        ScheduledFuture<?> deadline = timer.schedule(
                () -> {
                    if (!stream.finished()) {
                        metrics.error("answer_timeout");
                        stream.fail("⚠️ The answer took longer than "
                                + config.answerTimeout().toSeconds()
                                + " s, so I stopped waiting. Please try again; a shorter question is faster.");
                        call.cancel(true);
                    }
                },
                config.answerTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        stream.done().whenComplete((ok, e) -> deadline.cancel(false));
    }

    private void acked(CompletableFuture<?> ack, long received) {
        ack.whenComplete((ok, error) -> {
            if (error != null) {
                metrics.error("ack_failed");
                log.warn("could not acknowledge an interaction: {}", error.getMessage());
            } else {
                metrics.acked(received);
            }
        });
    }

    // ---- identities ---------------------------------------------------------------------------------------------

    private static Gate.Ask ask(User user, Member member, Long guild, long channel) {
        Set<Long> roles = member == null
                ? Set.of()
                : member.getRoles().stream().map(Role::getIdLong).collect(Collectors.toUnmodifiableSet());
        return new Gate.Ask(user.getIdLong(), guild, guild == null ? null : channel, roles);
    }

    /** {@code dm:<user>} in DMs, {@code guild:<g>:channel:<c>:user:<u>} in servers (agent-service's format). */
    static String conversation(Gate.Ask ask) {
        return ask.dm()
                ? "dm:" + ask.user()
                : "guild:" + ask.guild() + ":channel:" + ask.channel() + ":user:" + ask.user();
    }

    private static AgentChatRequest.UserRef user(User user, Member member) {
        List<String> roles = member == null
                ? List.of()
                : member.getRoles().stream().map(Role::getName).toList();
        return new AgentChatRequest.UserRef(
                user.getId(), member != null ? member.getEffectiveName() : user.getEffectiveName(), roles);
    }

    // ---- where answers go ---------------------------------------------------------------------------------------

    /** An interaction's original response (message 0, after the defer) and its follow-ups. */
    private static final class InteractionSurface implements AnswerStream.Surface {
        private final InteractionHook hook;
        private final boolean ephemeral;
        private final List<Long> followUps = new java.util.concurrent.CopyOnWriteArrayList<>();

        InteractionSurface(InteractionHook hook, boolean ephemeral) {
            this.hook = hook;
            this.ephemeral = ephemeral;
        }

        @Override
        public CompletableFuture<?> write(int index, String content) {
            if (index == 0) {
                return hook.editOriginal(content).submit();
            }
            if (index - 1 < followUps.size()) {
                return hook.editMessageById(followUps.get(index - 1), content).submit();
            }
            return hook.sendMessage(content)
                    .setEphemeral(ephemeral)
                    .submit()
                    .thenAccept(m -> followUps.add(m.getIdLong()));
        }
    }

    /** A DM channel: the answer's messages are created and then edited. */
    private static final class DmSurface implements AnswerStream.Surface {
        private final MessageChannel channel;
        private final List<Long> ids = new java.util.concurrent.CopyOnWriteArrayList<>();

        DmSurface(MessageChannel channel) {
            this.channel = channel;
        }

        @Override
        public CompletableFuture<?> write(int index, String content) {
            if (index < ids.size()) {
                return channel.editMessageById(ids.get(index), content).submit();
            }
            return channel.sendMessage(content).submit().thenAccept(m -> ids.add(m.getIdLong()));
        }
    }
}
