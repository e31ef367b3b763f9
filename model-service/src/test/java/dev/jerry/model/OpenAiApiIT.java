package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real langchain4j-open-ai client against model-service's OpenAI-compatible API. */
@ExtendWith(ModelServiceHarness.class)
class OpenAiApiIT {

    private static String baseUrl(ModelServiceHarness.Running service) {
        return service.baseUrl() + "/v1";
    }

    @Test
    void should_complete_a_chat_with_usage_deterministically(ModelServiceHarness.Running service) {
        var model = OpenAiChatModel.builder()
                .baseUrl(baseUrl(service))
                .apiKey(ModelServiceHarness.TOKEN)
                .modelName("tiny")
                .seed(7)
                .temperature(1.0)
                .maxTokens(10)
                .maxRetries(0)
                .build();

        ChatResponse first = model.chat(UserMessage.from("Tell me a story"));
        ChatResponse again = model.chat(UserMessage.from("Tell me a story"));

        assertThat(first.aiMessage().text())
                .isNotEmpty()
                .isEqualTo(again.aiMessage().text());
        assertThat(first.tokenUsage().outputTokenCount()).isBetween(1, 10);
        assertThat(first.tokenUsage().totalTokenCount())
                .isEqualTo(first.tokenUsage().inputTokenCount()
                        + first.tokenUsage().outputTokenCount());
    }

    @Test
    void should_stream_a_chat_completion_to_the_real_client(ModelServiceHarness.Running service) throws Exception {
        var model = OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl(service))
                .apiKey(ModelServiceHarness.TOKEN)
                .modelName("tiny")
                .seed(7)
                .temperature(1.0)
                .maxTokens(10)
                .build();
        StreamCollector stream = new StreamCollector();

        model.chat("Tell me a story", stream);

        ChatResponse response = stream.await();
        assertThat(stream.partials()).hasSizeGreaterThan(1);
        assertThat(String.join("", stream.partials()))
                .isEqualTo(response.aiMessage().text());
        // usage counts tokens; a token that ends inside a UTF-8 character is sent with the next one
        assertThat(response.tokenUsage().outputTokenCount())
                .isGreaterThanOrEqualTo(stream.partials().size());
    }

    @Test
    void should_embed_through_the_openai_api(ModelServiceHarness.Running service) {
        var model = OpenAiEmbeddingModel.builder()
                .baseUrl(baseUrl(service))
                .apiKey(ModelServiceHarness.TOKEN)
                .modelName("bge-small-en-v1.5")
                .maxRetries(0)
                .build();

        assertThat(model.embed("hello").content().dimension()).isEqualTo(384);
    }
}
