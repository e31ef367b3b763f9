package dev.jerry.agent.chat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows the conversation's attached images to the model: they go with the turn's question (the last user message of
 * each model call), as Ollama's {@code images}. Only a model that can see has images in its conversations.
 */
final class Images {
    private Images() {}

    static ChatRequest shown(ChatRequest request, Object memoryId) {
        if (!(memoryId instanceof Turn turn) || turn.images().isEmpty()) {
            return request;
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage question) {
                List<Content> contents = new ArrayList<>(question.contents());
                if (contents.stream().noneMatch(ImageContent.class::isInstance)) {
                    turn.images().forEach(image -> contents.add(ImageContent.from(image.base64(), image.mimeType())));
                }
                messages.set(
                        i,
                        question.name() == null
                                ? UserMessage.from(contents)
                                : UserMessage.from(question.name(), contents));
                return request.toBuilder().messages(messages).build();
            }
        }
        return request;
    }

    /** The text of a question with images. */
    static String text(UserMessage message) {
        return message.contents().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
    }
}
