package dev.jerry.agent.chat;

import dev.jerry.agent.memory.Conversation;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.memory.Message;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a conversation within its token budget (the smaller of {@code JERRY_AGENT_HISTORY_TOKENS} and half of what a
 * prompt may hold, counted with the calibrated {@link TokenBudget}): when the turns not yet summarized outgrow it, all
 * but the newest
 * {@link #KEEP} are folded into the stored summary by the model. Runs after the answer, on a virtual thread; a failed
 * summary only means the next turn tries again.
 */
final class Summarizer {
    private static final Logger log = LoggerFactory.getLogger(Summarizer.class);
    static final int KEEP = 4;
    private static final String INSTRUCTIONS = """
            You keep the memory of a conversation between a user and Jerry, an assistant. Write a short summary
            (at most 8 sentences) of the earlier summary and the new turns below: facts about the user, what they
            asked, what was answered and what is still open. Write only the summary.
            """;

    private final ModelCalls model;
    private final MemoryStore memory;
    private final int historyTokens;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    Summarizer(ModelCalls model, MemoryStore memory, int historyTokens) {
        this.model = model;
        this.memory = memory;
        this.historyTokens = historyTokens;
    }

    int budgetTokens() {
        return Math.min(historyTokens, model.budget().promptTokens(false) / 2);
    }

    void afterTurn(String conversationId, String userId) {
        if (!running.add(conversationId)) {
            return; // the running summary will see these turns next time
        }
        Thread.ofVirtual().name("summarize-" + conversationId).start(() -> {
            try {
                summarizeIfNeeded(conversationId, userId);
            } catch (RuntimeException e) {
                log.warn("could not summarize {}: {}", conversationId, e.getMessage());
            } finally {
                running.remove(conversationId);
            }
        });
    }

    void summarizeIfNeeded(String conversationId, String userId) {
        Conversation conversation = memory.conversation(conversationId, 1_000).orElse(null);
        if (conversation == null) {
            return;
        }
        List<Message> turns = conversation.recent();
        int size =
                turns.stream().mapToInt(m -> model.budget().tokens(m.content())).sum();
        if (size <= budgetTokens() || turns.size() <= KEEP) {
            return;
        }
        List<Message> candidates = turns.subList(0, turns.size() - KEEP);
        StringBuilder text = new StringBuilder();
        if (conversation.summary() != null && !conversation.summary().isBlank()) {
            text.append("Earlier summary: ").append(conversation.summary()).append("\n\n");
        }
        text.append("New turns:\n");
        // the summary's own prompt must fit the context too: the oldest turns that fit now, the rest next time
        TokenBudget budget = model.budget();
        int room = budget.promptTokens(false) - budget.tokens(INSTRUCTIONS) - budget.tokens(text.toString());
        int maxChars = (int) Math.max(200, room * budget.charsPerToken() / 2);
        int folded = 0;
        for (Message m : candidates) {
            String line = m.role() + ": "
                    + (m.content().length() > maxChars ? m.content().substring(0, maxChars) + "…" : m.content());
            int cost = budget.tokens(line);
            if (folded > 0 && cost > room) {
                break;
            }
            text.append(line).append('\n');
            room -= cost;
            folded++;
        }
        List<Message> fold = candidates.subList(0, folded);
        String summary =
                model.complete(List.of(SystemMessage.from(INSTRUCTIONS), UserMessage.from(text.toString())), userId);
        memory.summarize(conversationId, summary.strip(), fold.getLast().id());
        log.info("summarized {} turns of {}", fold.size(), conversationId);
    }
}
