package dev.jerry.agent.openai;

import static dev.jerry.testing.ClientScripts.error;
import static dev.jerry.testing.ClientScripts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentHarness;
import dev.jerry.ingestion.IngestCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.ClientScripts;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.TestPdfs;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Jerry's agent as an OpenAI model, driven by an OpenAI client that is not ours (LangChain4j's OpenAI module), over a
 * knowledge base filled by the real ingestion job from a PDF, with the real rag-service and Chroma; the language
 * model is an Ollama double whose scripted replies carry a real tool call. The official {@code openai} npm package
 * (pinned in {@code configs/compat-clients}, script {@code agent.mjs}) drives the same routes.
 */
@ExtendWith(ChromaExtension.class)
class OpenAiCompatibleIT {
    private static final String QUESTION = "How often is the bearing of pump P-7 greased?";
    private static ServiceApp rag;
    private OllamaDouble ollama;
    private ServiceApp agent;

    @BeforeAll
    static void knowledge(ChromaServer chroma, @TempDir Path docs) throws Exception {
        Files.createDirectories(docs.resolve("manuals"));
        TestPdfs.write(
                docs.resolve("manuals/pump-manual.pdf"),
                "Pump Manual",
                List.of(
                        "Pump P-7 moves cooling water from the river intake to the condenser.",
                        "The bearing of pump P-7 is greased every 200 operating hours with lithium grease."));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new IngestCommand(
                Env.of(Map.of("JERRY_CHROMA_URL", chroma.baseUrl().toString(), "JERRY_COLLECTION", "jerry"))));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(docs.resolve("manuals").toString());
        assertThat(code).as(out.toString()).isZero();
        rag = AgentHarness.rag(chroma, new InProcessEmbeddings());
    }

    @AfterAll
    static void stopRag() {
        rag.stop();
    }

    @AfterEach
    void stop() {
        agent.stop();
        ollama.close();
    }

    private void start(Path dir) {
        start(
                dir,
                OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "pump P-7 bearing grease")),
                OllamaDouble.Reply.text("Every 200 operating hours, with lithium grease [1]."));
    }

    private void start(Path dir, OllamaDouble.Reply... replies) {
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL).script(AgentHarness.MODEL, replies);
        agent = AgentHarness.start(
                dir, ollama.baseUrl().toString(), rag.baseUrl().toString(), Map.of());
    }

    private String v1() {
        return agent.baseUrl() + "/v1";
    }

    @Test
    void should_answer_with_a_footnote_naming_the_file_and_page_through_an_openai_client(@TempDir Path dir) {
        // given
        start(dir);
        OpenAiChatModel client = OpenAiChatModel.builder()
                .baseUrl(v1())
                .apiKey("not-needed")
                .modelName("jerry-docs")
                .build();

        // when
        String answer = client.chat(QUESTION);

        // then
        assertThat(answer)
                .startsWith("Every 200 operating hours, with lithium grease [1].")
                .contains("\n[1] ")
                .containsPattern("\\[1\\] \\S*pump-manual\\.pdf, page 2");
        // the persona's rules: only the knowledge base, and the question without a slash command
        JsonNode first = ollama.requests("/api/chat").getFirst();
        assertThat(first.path("tools").findValuesAsText("name")).containsExactly("rag_search");
        assertThat(first.path("messages").findValuesAsText("content").getLast()).isEqualTo(QUESTION);
    }

    @Test
    void should_stream_the_answer_and_its_footnotes_to_an_openai_client(@TempDir Path dir) throws Exception {
        // given
        start(dir);
        OpenAiStreamingChatModel client = OpenAiStreamingChatModel.builder()
                .baseUrl(v1())
                .apiKey("not-needed")
                .modelName("jerry-docs")
                .build();
        StringBuilder streamed = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        client.chat(QUESTION, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                streamed.append(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);

        // then
        assertThat(response.aiMessage().text()).isEqualTo(streamed.toString());
        assertThat(streamed.toString())
                .startsWith("Every 200 operating hours")
                .containsPattern("\\[1\\] \\S*pump-manual\\.pdf, page 2");
    }

    @Test
    void should_answer_with_footnotes_and_readable_errors_through_the_official_openai_sdk(@TempDir Path dir) {
        // given: one tool call and one answer per completion (plain, then streamed)
        OllamaDouble.Reply search =
                OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "pump P-7 bearing grease"));
        OllamaDouble.Reply answer = OllamaDouble.Reply.text("Every 200 operating hours, with lithium grease [1].");
        start(dir, search, answer, search, answer);

        // when
        JsonNode results = ClientScripts.run(
                "agent.mjs",
                Map.of(
                        "JERRY_BASE_URL",
                        agent.baseUrl().toString(),
                        "JERRY_TOKEN",
                        "not-needed",
                        "JERRY_CHAT_MODEL",
                        "jerry-docs",
                        "JERRY_QUESTION",
                        QUESTION));

        // then
        assertThat(ok(results, "models"))
                .extracting(JsonNode::asText)
                .containsExactly("jerry", "jerry-docs", "jerry-web", "jerry-summarize");
        JsonNode chat = ok(results, "chat");
        assertThat(chat.path("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chat.path("content").asText())
                .startsWith("Every 200 operating hours, with lithium grease [1].")
                .containsPattern("\\n\\[1\\] \\S*pump-manual\\.pdf, page 2");
        assertThat(chat.path("jerry_sources").get(0).path("page").asInt()).isEqualTo(2);
        JsonNode stream = ok(results, "chat_stream");
        assertThat(stream.path("ended").asBoolean()).isTrue();
        assertThat(stream.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(stream.path("text").asText())
                .startsWith("Every 200 operating hours")
                .containsPattern("\\n\\[1\\] \\S*pump-manual\\.pdf, page 2");
        assertThat(stream.path("jerry_sources").get(0).path("source").asText()).endsWith("pump-manual.pdf");
        assertThat(stream.path("usage").path("total_tokens").asInt()).isPositive();
        JsonNode unknown = error(results, "error_unknown_model");
        assertThat(unknown.path("class").asText()).isEqualTo("NotFoundError");
        assertThat(unknown.path("status").asInt()).isEqualTo(404);
        assertThat(unknown.path("message").asText())
                .contains("gpt-4", "jerry-docs")
                .doesNotContain("[object Object]");
        JsonNode noQuestion = error(results, "error_no_user_message");
        assertThat(noQuestion.path("class").asText()).isEqualTo("BadRequestError");
        assertThat(noQuestion.path("message").asText()).contains("messages").doesNotContain("[object Object]");
    }

    @Test
    void should_list_jerry_and_a_model_per_persona_and_give_sources_as_data(@TempDir Path dir) throws Exception {
        // given
        start(dir);

        // when
        JsonNode models =
                Json.mapper().readTree(Http.get(agent.baseUrl(), "/v1/models").body());
        var completion = Http.post(
                agent.baseUrl(),
                "/v1/chat/completions",
                Json.write(Map.of(
                        "model",
                        "jerry",
                        "user",
                        "alice@example.com",
                        "messages",
                        List.of(Map.of("role", "user", "content", QUESTION)))));
        var unknown = Http.post(
                agent.baseUrl(),
                "/v1/chat/completions",
                Json.write(Map.of("model", "gpt-4", "messages", List.of(Map.of("role", "user", "content", "hi")))));

        // then
        assertThat(models.path("data").findValuesAsText("id"))
                .containsExactly("jerry", "jerry-docs", "jerry-web", "jerry-summarize");
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(completion.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        JsonNode source = body.path("jerry_sources").get(0);
        assertThat(source.path("n").asInt()).isEqualTo(1);
        assertThat(source.path("source").asText()).endsWith("pump-manual.pdf");
        assertThat(source.path("page").asInt()).isEqualTo(2);
        assertThat(body.path("jerry_conversation_id").asText()).isEqualTo("openai:alice@example.com");
        assertThat(Http.get(agent.baseUrl(), "/v1/conversations/openai:alice@example.com")
                        .statusCode())
                .isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("gpt-4", "jerry-docs");
    }

    @Test
    void should_continue_a_conversation_without_user_from_the_clients_own_history(@TempDir Path dir) throws Exception {
        // given: a client that sends the whole conversation each time, and no user
        start(dir, OllamaDouble.Reply.text("Noted: P-7."), OllamaDouble.Reply.text("P-7."));
        List<Map<String, String>> first = List.of(Map.of("role", "user", "content", "My pump is P-7."));
        List<Map<String, String>> second = List.of(
                Map.of("role", "user", "content", "My pump is P-7."),
                Map.of("role", "assistant", "content", "Noted: P-7."),
                Map.of("role", "user", "content", "Which pump is mine?"));

        // when
        JsonNode one = Json.mapper()
                .readTree(Http.post(
                                agent.baseUrl(),
                                "/v1/chat/completions",
                                Json.write(Map.of("model", "jerry-summarize", "messages", first)))
                        .body());
        JsonNode two = Json.mapper()
                .readTree(Http.post(
                                agent.baseUrl(),
                                "/v1/chat/completions",
                                Json.write(Map.of("model", "jerry-summarize", "messages", second)))
                        .body());

        // then: one conversation, whose history the model got from the client
        assertThat(two.path("jerry_conversation_id").asText())
                .startsWith("openai:h")
                .isEqualTo(one.path("jerry_conversation_id").asText());
        List<String> sent = ollama.requests("/api/chat").get(1).path("messages").findValuesAsText("content");
        assertThat(sent).containsSubsequence("My pump is P-7.", "Noted: P-7.", "Which pump is mine?");
    }
}
