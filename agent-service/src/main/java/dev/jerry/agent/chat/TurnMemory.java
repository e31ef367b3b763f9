package dev.jerry.agent.chat;

import dev.jerry.agent.memory.Message;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A turn's chat memory: the system message first (with the conversation's summary, cut to what fits), then as many
 * of the conversation's stored turns (newest kept) as the token budget leaves room for, then this turn's messages
 * (question, tool calls, tool results). What this turn needs comes first: the system prompt and the turn's own
 * messages, then the summary, then the older turns. The store keeps the conversation; this memory lives for one
 * attempt and is never written back (the agent saves a finished turn).
 */
final class TurnMemory implements ChatMemory {
    private static final Logger log = LoggerFactory.getLogger(TurnMemory.class);

    private final Turn turn;
    private final TokenBudget budget;
    private final List<ChatMessage> history;
    private final String summary;
    private final List<ChatMessage> current = new ArrayList<>();
    private SystemMessage system;

    TurnMemory(Turn turn, TokenBudget budget) {
        this.turn = turn;
        this.budget = budget;
        this.history = turn.stored()
                .map(c -> c.recent().stream().map(TurnMemory::message).toList())
                .orElse(List.of());
        this.summary = turn.stored()
                .map(c -> c.summary() == null ? "" : c.summary().strip())
                .orElse("");
    }

    static final String SUMMARY = "Summary of the conversation so far: ";

    private static ChatMessage message(Message stored) {
        return stored.role().equals("assistant")
                ? AiMessage.from(stored.content())
                : UserMessage.from(stored.content());
    }

    static String text(ChatMessage message) {
        return switch (message) {
            case SystemMessage s -> s.text();
            case UserMessage u -> u.hasSingleText() ? u.singleText() : Images.text(u);
            case AiMessage a ->
                (a.text() == null ? "" : a.text())
                        + (a.hasToolExecutionRequests()
                                ? a.toolExecutionRequests().toString()
                                : "");
            case ToolExecutionResultMessage t -> t.text();
            default -> message.toString();
        };
    }

    @Override
    public Object id() {
        return turn;
    }

    @Override
    public synchronized void add(ChatMessage message) {
        if (message instanceof SystemMessage s) {
            system = s;
        } else {
            current.add(message);
        }
    }

    @Override
    public synchronized List<ChatMessage> messages() {
        int room = budget.promptTokens(turn.tight());
        if (system != null) {
            room -= budget.tokens(system.text());
        }
        for (ChatMessage m : current) {
            room -= budget.tokens(text(m));
        }
        String keptSummary = "";
        if (!summary.isEmpty() && room > TokenBudget.PER_MESSAGE) {
            int chars = (int) ((room - TokenBudget.PER_MESSAGE) * budget.charsPerToken()) - SUMMARY.length();
            keptSummary = summary.length() <= chars ? summary : chars > 0 ? summary.substring(0, chars) + "…" : "";
            room -= budget.tokens(SUMMARY + keptSummary) - TokenBudget.PER_MESSAGE;
        }
        int from = history.size();
        while (from > 0) {
            int cost = budget.tokens(text(history.get(from - 1)));
            if (cost > room) {
                break;
            }
            room -= cost;
            from--;
        }
        // a kept history starts with a question, never with an answer to a question that was cut
        while (from < history.size() && history.get(from) instanceof AiMessage) {
            from++;
        }
        if (from > 0) {
            log.info(
                    "{}: {} of {} stored messages left out to fit the context ({} tokens, ~{} chars a token)",
                    turn.conversationId(),
                    from,
                    history.size(),
                    budget.contextTokens(),
                    budget.charsPerToken());
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null || !keptSummary.isEmpty()) {
            String text = system == null ? "" : system.text();
            messages.add(SystemMessage.from(
                    keptSummary.isEmpty() ? text : text.stripTrailing() + "\n" + SUMMARY + keptSummary));
        }
        messages.addAll(history.subList(from, history.size()));
        messages.addAll(current);
        return messages;
    }

    @Override
    public synchronized void clear() {
        current.clear();
    }
}
