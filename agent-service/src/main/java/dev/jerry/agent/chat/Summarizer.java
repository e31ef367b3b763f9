package dev.jerry.agent.chat;

import dev.jerry.agent.memory.Conversation;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.memory.Message;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a conversation within its token budget: when the turns not yet summarized outgrow it, all but the newest
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

    private final ChatModel model;
    private final MemoryStore memory;
    private final int budgetTokens;
    private final ThreadLocal<String> currentUser;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    Summarizer(ChatModel model, MemoryStore memory, int budgetTokens, ThreadLocal<String> currentUser) {
        this.model = model;
        this.memory = memory;
        this.budgetTokens = budgetTokens;
        this.currentUser = currentUser;
    }

    /** A rough count: about four characters a token in English. */
    static int tokens(String text) {
        return (text.length() + 3) / 4;
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
        int size = turns.stream().mapToInt(m -> tokens(m.content())).sum();
        if (size <= budgetTokens || turns.size() <= KEEP) {
            return;
        }
        List<Message> fold = turns.subList(0, turns.size() - KEEP);
        StringBuilder text = new StringBuilder();
        if (conversation.summary() != null && !conversation.summary().isBlank()) {
            text.append("Earlier summary: ").append(conversation.summary()).append("\n\n");
        }
        text.append("New turns:\n");
        fold.forEach(m -> text.append(m.role()).append(": ").append(m.content()).append('\n'));
        currentUser.set(userId);
        try {
            String summary = model.chat(SystemMessage.from(INSTRUCTIONS), UserMessage.from(text.toString()))
                    .aiMessage()
                    .text();
            memory.summarize(conversationId, summary.strip(), fold.getLast().id());
            log.info("summarized {} turns of {}", fold.size(), conversationId);
        } finally {
            currentUser.remove();
        }
    }
}
