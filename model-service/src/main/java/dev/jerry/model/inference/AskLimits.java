package dev.jerry.model.inference;

import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.error.ServiceException.BadInput;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits every dialect's request meets before it reaches a backend: what native code is given must be in range
 * (a temperature of 1e39 aborted the JVM inside llama.cpp). The same limits as {@code POST /v1/inference}'s record.
 * Field names are the OpenAI/Jerry ones, with the Ollama option named beside them.
 */
final class AskLimits {
    static final double MAX_TEMPERATURE = 2.0;
    /** Far above any context here; a bound so that no arithmetic on it can overflow. */
    static final int MAX_TOKENS = 1 << 20;

    static final int MAX_MESSAGES = 4096;

    private AskLimits() {}

    static void temperature(Double temperature) {
        if (temperature != null
                && (!Double.isFinite(temperature) || temperature < 0 || temperature > MAX_TEMPERATURE)) {
            throw new BadInput(
                    "temperature",
                    "field 'temperature' (options.temperature in the Ollama API) must be between 0 and "
                            + MAX_TEMPERATURE + ", got " + temperature);
        }
    }

    /** Nucleus sampling keeps the smallest set of tokens whose probabilities add up to top_p: 0 would keep none. */
    static void topP(Double topP) {
        if (topP != null && (!Double.isFinite(topP) || topP <= 0 || topP > 1)) {
            throw new BadInput(
                    "top_p",
                    "field 'top_p' (options.top_p in the Ollama API) must be above 0 and at most 1, got " + topP);
        }
    }

    static void maxTokens(Integer maxTokens) {
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_TOKENS)) {
            throw new BadInput(
                    "max_tokens",
                    "field 'max_tokens' (options.num_predict in the Ollama API) must be between 1 and " + MAX_TOKENS
                            + ", got " + maxTokens);
        }
    }

    /** At least one message, none missing, and a last user message that says something. */
    static List<ChatMessage> messages(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new BadInput("messages", "field 'messages' must hold at least one message");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new BadInput(
                    "messages",
                    "field 'messages' holds " + messages.size() + " messages; the limit is " + MAX_MESSAGES);
        }
        List<ChatMessage> checked = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new BadInput("messages[" + i + "]", "field 'messages[" + i + "]' must be a message, got null");
            }
            checked.add(messages.get(i));
        }
        int last = checked.size() - 1;
        ChatMessage lastMessage = checked.get(last);
        if (lastMessage.role().equals("user") && lastMessage.content().isBlank()) {
            String field = "messages[" + last + "].content";
            throw new BadInput(field, "field '" + field + "' is empty; the last user message must say something");
        }
        return List.copyOf(checked);
    }
}
