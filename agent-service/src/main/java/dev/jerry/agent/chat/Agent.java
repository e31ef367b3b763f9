package dev.jerry.agent.chat;

import dev.jerry.agent.attach.Attachments;
import dev.jerry.agent.feedback.FeedbackStore;
import dev.jerry.agent.memory.Conversation;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.memory.Message;
import dev.jerry.agent.memory.User;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.api.TurnRecord;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.http.RequestIds;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One turn of a conversation, one way: the AI service streams the answer (the stored summary and recent turns as
 * context, the persona's tools as the model asks for them) and a plain answer is that stream collected. The finished
 * turn is saved; nothing half-done is. A prompt that model-service refuses as over the context is tried once more,
 * cut harder, before anything was streamed. (About 300 lines: the turn's steps read best in one place, and its
 * factory lives here because model-service's client classes are package-private.)
 */
public final class Agent {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final int RECENT_TURNS = 20;
    static final int MAX_TOOL_ROUNDS = 4;
    /** Invocation parameter: the turn's {@link Persona}. */
    static final String PERSONA = "persona";
    /** Invocation parameter: the turn's {@link Sources}. */
    static final String SOURCES = "sources";
    /** Invocation parameter: the collection {@code rag_search} searches, when the turn's place chose one. */
    static final String COLLECTION = "collection";
    /** Invocation parameter: the turn's conversation id (whose attachments {@code rag_search} searches too). */
    static final String CONVERSATION = "conversation";

    /** What a streamed turn reports as it goes; an {@link IOException} means the client left. */
    public interface Events {
        Events NONE = new Events() {
            @Override
            public void status(String text) {}

            @Override
            public void delta(String text) {}
        };

        void status(String text) throws IOException;

        void delta(String text) throws IOException;
    }

    /** The client of a streamed turn went away. */
    public static final class ClientGoneException extends RuntimeException {
        ClientGoneException(Throwable cause) {
            super("the client left", cause);
        }
    }

    private final ModelCalls calls;
    private final MemoryStore memory;
    private final Duration turnTimeout;
    private final Personas personas;
    private final boolean webSearch;
    private final Summarizer summarizer;
    private final JerryAssistant assistant;
    private final FeedbackStore turns;
    private final Attachments attachments;

    /**
     * @param calls model-service, as the AI service and the summarizer call it
     * @param tools the tools there are ({@link RagTool}, and {@link WebTool} when a SearXNG is configured)
     * @param turnTimeout the whole-turn deadline
     * @param historyTokens turns kept word for word before older ones are summarized
     */
    Agent(
            ModelCalls calls,
            List<Object> tools,
            MemoryStore memory,
            Duration turnTimeout,
            List<Persona> personas,
            int historyTokens,
            Attachments attachments) {
        this.calls = calls;
        this.attachments = attachments;
        this.memory = memory;
        this.turnTimeout = turnTimeout;
        this.personas = new Personas(personas);
        this.webSearch = tools.stream().anyMatch(WebTool.class::isInstance);
        this.summarizer = new Summarizer(calls, memory, historyTokens);
        this.turns = new FeedbackStore(memory);
        this.assistant = AiServices.builder(JerryAssistant.class)
                .streamingChatModel(calls.model())
                .chatRequestTransformer((request, turn) -> calls.attach(Images.shown(request, turn), turn))
                .chatMemoryProvider(turn -> new TurnMemory((Turn) turn, calls.budget()))
                .toolProvider(new PersonaTools(tools))
                .maxSequentialToolsInvocations(MAX_TOOL_ROUNDS)
                .build();
    }

    /**
     * The agent of the composition root, against model-service at {@code modelUrl}.
     *
     * @param modelService a client of model-service for small calls ({@code /api/show})
     * @param searxng a SearXNG for {@code web_search}, if any
     */
    public static Agent create(
            URI modelUrl,
            Optional<String> modelToken,
            String model,
            Duration turnTimeout,
            ServiceClient modelService,
            ServiceClient rag,
            Optional<ServiceClient> searxng,
            MemoryStore memory,
            List<Persona> personas,
            int historyTokens,
            Attachments attachments) {
        List<Object> tools = new ArrayList<>();
        tools.add(new RagTool(rag, attachments));
        searxng.ifPresent(client -> tools.add(new WebTool(client)));
        return new Agent(
                new ModelCalls(modelUrl, model, modelToken, turnTimeout, modelService, new TokenBudget()),
                tools,
                memory,
                turnTimeout,
                personas,
                historyTokens,
                attachments);
    }

    public List<Persona> personas() {
        return personas.all();
    }

    /** Refuses a request that cannot be a turn (before a stream starts, so that it is a plain 4xx). */
    public void check(AgentChatRequest request) {
        Conversation.check(
                request.conversationId(), request.user().id(), request.user().name());
        if (request.persona() != null
                && !request.persona().equals(Persona.DEFAULT.name())
                && personas.named(request.persona()).isEmpty()) {
            throw new dev.jerry.kit.error.ServiceException.BadInput(
                    "persona",
                    "field 'persona' names no persona: '" + request.persona() + "'; there are: "
                            + personas.all().stream().map(Persona::name).toList());
        }
    }

    private String instructions(Turn turn) {
        Persona persona = turn.persona();
        StringBuilder instructions = new StringBuilder();
        if (persona.allows(AgentTool.RAG_SEARCH)) {
            List<String> files = attachedFiles(turn.conversationId());
            if (!files.isEmpty()) {
                instructions
                        .append("The user attached files to this conversation: ")
                        .append(String.join(", ", files))
                        .append(". rag_search finds passages in them; cite them with file and page.\n");
            }
        }
        if (!turn.attached().unseen().isEmpty()) {
            instructions
                    .append("The user attached images to this conversation (")
                    .append(String.join(", ", turn.attached().unseen()))
                    .append("), but the model answering now (")
                    .append(turn.choices().model())
                    .append(") cannot see images: say so if they ask about them.\n");
        }
        if (!persona.systemPrompt().isBlank()) {
            instructions.append(persona.systemPrompt()).append('\n');
        }
        if (persona.allows(AgentTool.WEB_SEARCH) && !webSearch && persona != Persona.DEFAULT) {
            instructions.append("Web search is not available here (no search engine is configured): say so.\n");
        }
        return instructions.toString();
    }

    /** A plain turn: the streamed one, collected. */
    public AgentChatResponse chat(AgentChatRequest request) {
        return chatStreaming(request, Events.NONE);
    }

    /** A turn: status and text as they come; blocks until the answer is complete or the deadline. */
    public AgentChatResponse chatStreaming(AgentChatRequest request, Events events) {
        return chatStreaming(request, sentHistory(request), events);
    }

    /** The earlier turns the caller sent (a Discord reply chain), if it sent them. */
    private static Optional<List<Message>> sentHistory(AgentChatRequest request) {
        return Optional.ofNullable(request.history())
                .map(history -> history.stream()
                        .map(m -> new Message(0, m.role(), m.content(), Instant.now()))
                        .toList());
    }

    /**
     * A turn whose earlier turns are the client's own, not the stored ones (an API client that sends the whole
     * conversation each time and is not known by a user id): the model sees only what this client sent.
     */
    public AgentChatResponse chatStreaming(
            AgentChatRequest request, Optional<List<Message>> clientHistory, Events events) {
        check(request);
        Optional<Personas.Selection> selection = personas.select(request.message(), request.persona());
        if (selection.isEmpty()) {
            AgentChatResponse unknown = personas.unknown(request);
            try {
                events.delta(unknown.reply());
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
            return unknown;
        }
        calls.learnContext();
        long deadline = System.nanoTime() + turnTimeout.toNanos();
        boolean[] streamed = {false};
        Events watched = new Events() {
            @Override
            public void status(String text) throws IOException {
                events.status(text);
            }

            @Override
            public void delta(String text) throws IOException {
                streamed[0] = true;
                events.delta(text);
            }
        };
        String model = request.model() == null ? calls.modelName() : request.model();
        Turn turn = new Turn(
                UUID.randomUUID(),
                request.conversationId(),
                request.user().id(),
                MDC.get(RequestIds.MDC_KEY),
                selection.get().persona(),
                selection.get().question(),
                clientHistory.isPresent()
                        ? clientHistory.map(history -> new Conversation(
                                request.conversationId(),
                                request.user().id(),
                                null,
                                0,
                                Instant.now(),
                                history.subList(Math.max(0, history.size() - RECENT_TURNS), history.size())))
                        : memory.conversation(request.conversationId(), RECENT_TURNS),
                false,
                new TurnSink(watched),
                new Sources(),
                new Turn.Choices(model, request.collection(), !Boolean.FALSE.equals(request.cache())),
                attachedImages(request.conversationId(), model));
        Attempt attempt;
        try {
            attempt = attempt(turn, deadline);
        } catch (UpstreamException e) {
            if (streamed[0] || ModelFailures.overflow(e).isEmpty()) {
                throw e;
            }
            log.info("{}: the prompt was over the context; trying once more with less history", turn.conversationId());
            turn = turn.retryTight();
            attempt = attempt(turn, deadline);
        }
        return finish(request, turn, attempt);
    }

    private record Attempt(ChatResponse response, List<String> toolsUsed) {}

    private Attempt attempt(Turn turn, long deadline) {
        List<String> tools = new CopyOnWriteArrayList<>();
        TurnSink sink = turn.sink();
        Map<String, Object> values = new java.util.HashMap<>(
                Map.of(PERSONA, turn.persona(), SOURCES, turn.sources(), CONVERSATION, turn.conversationId()));
        if (turn.choices().collection() != null) {
            values.put(COLLECTION, turn.choices().collection());
        }
        var parameters = new InvocationParameters(values);
        try {
            assistant
                    .chat(turn, turn.question(), instructions(turn), parameters)
                    .onPartialResponse(sink::delta)
                    .beforeToolExecution(
                            before -> sink.status(statusOf(before.request().name())))
                    .onToolExecuted(execution -> tools.add(execution.request().name()))
                    .onCompleteResponse(sink.done::complete)
                    .onError(sink.done::completeExceptionally)
                    .start();
            return new Attempt(sink.done.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS), tools);
        } catch (TimeoutException e) {
            throw new UpstreamException.Timeout(
                    ModelFailures.UPSTREAM,
                    "the answer took longer than " + turnTimeout.toSeconds() + " s (JERRY_AGENT_TURN_TIMEOUT)",
                    e);
        } catch (ExecutionException e) {
            throw calls.failures().translate(e.getCause(), !turn.images().isEmpty());
        } catch (RuntimeException e) {
            throw calls.failures().translate(e, !turn.images().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable(ModelFailures.UPSTREAM, "interrupted", e);
        } finally {
            assistant.evictChatMemory(turn);
        }
    }

    private AgentChatResponse finish(AgentChatRequest request, Turn turn, Attempt attempt) {
        // a model may stop at once (an end token first): an empty answer is still an answer, saved as such
        String generated = attempt.response().aiMessage().text();
        String reply = generated == null ? "" : generated;
        memory.append(
                request.conversationId(),
                new User(request.user().id(), request.user().name()),
                List.of(
                        new Message(0, "user", request.message(), Instant.now()),
                        new Message(0, "assistant", reply, Instant.now())));
        summarizer.afterTurn(request.conversationId(), request.user().id());
        String model = attempt.response().modelName() == null
                ? turn.choices().model()
                : attempt.response().modelName();
        TurnRecord record = new TurnRecord(
                UUID.randomUUID().toString(),
                request.conversationId(),
                request.user().id(),
                turn.persona().name(),
                model,
                turn.sink().cached(),
                turn.sources().list(),
                request.message(),
                reply,
                Instant.now());
        turns.record(record);
        TokenUsage tokens = attempt.response().tokenUsage();
        var usage = tokens == null
                ? new AgentChatResponse.Usage(0, 0)
                : new AgentChatResponse.Usage(nz(tokens.inputTokenCount()), nz(tokens.outputTokenCount()));
        return new AgentChatResponse(
                reply,
                turn.sources().list(),
                attempt.toolsUsed().stream().distinct().toList(),
                request.conversationId(),
                usage,
                record.cached(),
                record.id(),
                model);
    }

    /**
     * The conversation's attached images as a turn of {@code model} shows them; none when Chroma or model-service cannot
     * say (the turn goes on without them).
     */
    private Attachments.Shown attachedImages(String conversationId, String model) {
        try {
            return attachments.shown(conversationId, model);
        } catch (UpstreamException e) {
            log.debug("{}: the attached images could not be read: {}", conversationId, e.getMessage());
            return Attachments.Shown.NONE;
        }
    }

    /** The conversation's attached files; none when Chroma cannot say (the turn goes on without them). */
    private List<String> attachedFiles(String conversationId) {
        try {
            return attachments.files(conversationId);
        } catch (UpstreamException e) {
            log.debug("{}: the attachments could not be listed: {}", conversationId, e.getMessage());
            return List.of();
        }
    }

    static String statusOf(String tool) {
        return AgentTool.named(tool).map(AgentTool::status).orElse("using " + tool + "…");
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
