package dev.jerry.kit.api;

import java.util.List;

/**
 * The answer of {@code POST /v1/chat}: the reply, what it cites, which tools ran.
 *
 * @param cached whether model-service's semantic cache gave the answer
 * @param turnId the turn's id for {@code POST /v1/feedback} (absent for an answer that is no turn, such as the list
 *     of personas)
 * @param model the model that answered
 */
public record AgentChatResponse(
        String reply,
        List<Source> sources,
        List<String> toolsUsed,
        String conversationId,
        Usage usage,
        boolean cached,
        String turnId,
        String model) {
    public AgentChatResponse(
            String reply,
            List<Source> sources,
            List<String> toolsUsed,
            String conversationId,
            Usage usage,
            boolean cached) {
        this(reply, sources, toolsUsed, conversationId, usage, cached, null, null);
    }

    /**
     * A citation: a document and page from the knowledge base (with the section the passage is in, when the document
     * has sections), or a web page.
     */
    public record Source(String source, Integer page, String title, String url, String section) {
        public Source(String source, Integer page, String title, String url) {
            this(source, page, title, url, null);
        }
    }

    public record Usage(int promptTokens, int completionTokens) {}
}
