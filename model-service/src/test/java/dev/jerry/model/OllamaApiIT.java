package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real langchain4j-ollama client, as agent-service uses it, against model-service on real llama.cpp. */
@ExtendWith(ModelServiceHarness.class)
class OllamaApiIT {
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ModelServiceHarness.TOKEN);

    private static OllamaChatModel chat(ModelServiceHarness.Running service, int seed) {
        return OllamaChatModel.builder()
                .baseUrl(service.baseUrl().toString())
                .modelName("tiny")
                .temperature(1.0)
                .seed(seed)
                .numPredict(12)
                .customHeaders(AUTH)
                .timeout(Duration.ofSeconds(30))
                .maxRetries(0)
                .build();
    }

    @Test
    void should_answer_a_chat_deterministically_under_a_seed(ModelServiceHarness.Running service) {
        ChatResponse first = chat(service, 42).chat(UserMessage.from("Hello Jerry"));
        ChatResponse again = chat(service, 42).chat(UserMessage.from("Hello Jerry"));
        ChatResponse other = chat(service, 43).chat(UserMessage.from("Hello Jerry"));

        assertThat(first.aiMessage().text())
                .isNotEmpty()
                .isEqualTo(again.aiMessage().text());
        assertThat(other.aiMessage().text()).isNotEqualTo(first.aiMessage().text());
        assertThat(first.tokenUsage().outputTokenCount()).isBetween(1, 12);
        assertThat(first.tokenUsage().inputTokenCount()).isPositive();
        assertThat(first.metadata().modelName()).isEqualTo("tiny:latest");
    }

    @Test
    void should_stream_a_chat_token_by_token_matching_the_final_answer(ModelServiceHarness.Running service)
            throws Exception {
        var model = OllamaStreamingChatModel.builder()
                .baseUrl(service.baseUrl().toString())
                .modelName("tiny:latest")
                .seed(42)
                .temperature(1.0)
                .numPredict(12)
                .customHeaders(AUTH)
                .build();
        StreamCollector stream = new StreamCollector();

        model.chat(List.of(UserMessage.from("Hello Jerry")), stream);

        ChatResponse response = stream.await();
        assertThat(stream.partials()).hasSizeGreaterThan(1);
        assertThat(String.join("", stream.partials()))
                .isEqualTo(response.aiMessage().text());
        // streamed and not streamed, the same seed gives the same answer
        assertThat(response.aiMessage().text())
                .isEqualTo(chat(service, 42)
                        .chat(UserMessage.from("Hello Jerry"))
                        .aiMessage()
                        .text());
    }

    @Test
    void should_embed_with_the_in_process_model_and_rank_related_text_closer(ModelServiceHarness.Running service) {
        var model = OllamaEmbeddingModel.builder()
                .baseUrl(service.baseUrl().toString())
                .modelName("bge-small-en-v1.5")
                .customHeaders(AUTH)
                .build();

        List<Embedding> vectors = model.embedAll(List.of(
                        TextSegment.from("How do I reset my password?"),
                        TextSegment.from("I forgot my password and need to change it"),
                        TextSegment.from("The tomato harvest was early this year")))
                .content();

        assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v.dimension()).isEqualTo(384));
        assertThat(cosine(vectors.get(0), vectors.get(1))).isGreaterThan(cosine(vectors.get(0), vectors.get(2)));
    }

    @Test
    void should_list_chat_and_embedding_models_in_ollama_tags(ModelServiceHarness.Running service) throws Exception {
        // langchain4j's OllamaModels cannot send a bearer token, so the listing is read as any client would
        var tags = Json.mapper()
                .readTree(
                        Http.get(service.baseUrl(), "/api/tags", service.auth()).body())
                .path("models");

        assertThat(tags.findValuesAsText("name")).containsExactly("tiny:latest", "bge-small-en-v1.5:latest");
        assertThat(tags.get(0).path("details").path("format").asText()).isEqualTo("gguf");
    }

    @Test
    void should_reject_the_client_without_a_token(ModelServiceHarness.Running service) {
        var anonymous = OllamaChatModel.builder()
                .baseUrl(service.baseUrl().toString())
                .modelName("tiny")
                .maxRetries(0)
                .build();

        assertThatThrownBy(() -> anonymous.chat(UserMessage.from("hi")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Authorization: Bearer <token>");
    }

    private static double cosine(Embedding a, Embedding b) {
        float[] x = a.vector();
        float[] y = b.vector();
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
