package dev.jerry.agent.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.memory.Message;
import dev.jerry.kit.digest.Sha256;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/chat/completions}, the parts Jerry reads (OpenAI's other fields are ignored), and which
 * conversation it continues: with {@code user}, {@code openai:<user>} and Jerry's stored memory of it; without, {@code
 * openai:h<hash of caller and first user message>} with the client's own earlier messages as the history (so two
 * chats that start alike never see each other's turns).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CompletionRequest(
        String model,
        List<CompletionRequest.InMessage> messages,
        Boolean stream,
        String user,
        StreamOptions streamOptions) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record InMessage(String role, JsonNode content) {
        /** The text of a string content or of the text parts of an array content. */
        String text() {
            if (content == null || content.isNull()) {
                return "";
            }
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamOptions(Boolean includeUsage) {}

    /** The conversation a request continues, and the history to use when it is the client's. */
    record Identity(String conversationId, Optional<List<Message>> history) {}

    Identity identity(String caller) {
        if (user() != null && !user().isBlank()) {
            String user = user().strip();
            return new Identity(
                    "openai:"
                            + (user.matches("[A-Za-z0-9._@-]{1,64}")
                                    ? user
                                    : "u" + Sha256.hex(user).substring(0, 32)),
                    Optional.empty());
        }
        List<InMessage> earlier = messages().subList(0, messages().size() - 1);
        String first = messages().stream()
                .filter(m -> m != null && "user".equals(m.role()))
                .findFirst()
                .map(InMessage::text)
                .orElse("");
        List<Message> history = new ArrayList<>();
        for (InMessage m : earlier) {
            if (m != null
                    && ("user".equals(m.role()) || "assistant".equals(m.role()))
                    && !m.text().isBlank()) {
                history.add(new Message(0, m.role(), m.text(), Instant.now()));
            }
        }
        return new Identity("openai:h" + Sha256.hexOfParts(caller, first).substring(0, 32), Optional.of(history));
    }
}
