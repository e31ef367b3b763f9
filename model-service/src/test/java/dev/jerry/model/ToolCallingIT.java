package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tool calls on llama.cpp, constrained by a grammar built from the tools' JSON schemas: whatever the (random) weights
 * say, a call names a real tool and its arguments match that tool's schema.
 */
@ExtendWith(ModelServiceHarness.class)
class ToolCallingIT {
    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Weather forecast for a city")
            .parameters(JsonObjectSchema.builder()
                    .addEnumProperty("city", List.of("Paris", "Oslo"))
                    .addIntegerProperty("days")
                    .required("city", "days")
                    .build())
            .build();

    private static OpenAiChatModel openAi(ModelServiceHarness.Running service, int seed) {
        return OpenAiChatModel.builder()
                .baseUrl(service.baseUrl() + "/v1")
                .apiKey(ModelServiceHarness.TOKEN)
                .modelName("tiny")
                .seed(seed)
                .temperature(1.0)
                .maxTokens(200)
                .maxRetries(0)
                .build();
    }

    private static ChatRequest weatherQuestion(ToolChoice choice) {
        return ChatRequest.builder()
                .messages(UserMessage.from("What is the weather in Oslo for the next 3 days?"))
                .toolSpecifications(WEATHER)
                .toolChoice(choice)
                .build();
    }

    private static void assertValidWeatherCall(ToolExecutionRequest call) throws Exception {
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.id()).startsWith("call_");
        JsonNode arguments = Json.mapper().readTree(call.arguments());
        assertThat(arguments.path("city").asText()).isIn("Paris", "Oslo");
        assertThat(arguments.path("days").isIntegralNumber()).isTrue();
    }

    @Test
    void should_return_a_tool_call_that_parses_when_a_tool_is_required(ModelServiceHarness.Running service)
            throws Exception {
        ChatResponse response = openAi(service, 11).chat(weatherQuestion(ToolChoice.REQUIRED));
        ChatResponse again = openAi(service, 11).chat(weatherQuestion(ToolChoice.REQUIRED));

        AiMessage message = response.aiMessage();
        assertThat(message.hasToolExecutionRequests()).isTrue();
        assertThat(message.toolExecutionRequests()).hasSize(1);
        assertValidWeatherCall(message.toolExecutionRequests().getFirst());
        assertThat(response.finishReason().name()).isEqualTo("TOOL_EXECUTION");
        assertThat(again.aiMessage().toolExecutionRequests().getFirst().arguments())
                .isEqualTo(message.toolExecutionRequests().getFirst().arguments());
    }

    @Test
    void should_stream_a_required_tool_call_to_the_openai_client(ModelServiceHarness.Running service) throws Exception {
        var model = OpenAiStreamingChatModel.builder()
                .baseUrl(service.baseUrl() + "/v1")
                .apiKey(ModelServiceHarness.TOKEN)
                .modelName("tiny")
                .seed(11)
                .temperature(1.0)
                .maxTokens(200)
                .build();
        StreamCollector stream = new StreamCollector();

        model.chat(weatherQuestion(ToolChoice.REQUIRED), stream);

        ChatResponse response = stream.await();
        assertThat(response.aiMessage().toolExecutionRequests()).hasSize(1);
        assertValidWeatherCall(response.aiMessage().toolExecutionRequests().getFirst());
    }

    @Test
    void should_let_the_ollama_client_receive_tool_calls_or_answers_and_send_tool_results(
            ModelServiceHarness.Running service) throws Exception {
        // with "auto" the model chooses; random weights choose by seed, so some seeds call the tool
        ToolExecutionRequest call = null;
        for (int seed = 1; seed <= 30 && call == null; seed++) {
            ChatResponse response = OllamaChatModel.builder()
                    .baseUrl(service.baseUrl().toString())
                    .modelName("tiny")
                    .seed(seed)
                    .temperature(1.0)
                    .numPredict(200)
                    .customHeaders(Map.of("Authorization", "Bearer " + ModelServiceHarness.TOKEN))
                    .build()
                    .chat(weatherQuestion(ToolChoice.AUTO));
            if (response.aiMessage().hasToolExecutionRequests()) {
                call = response.aiMessage().toolExecutionRequests().getFirst();
            }
        }
        assertThat(call).as("a tool call within 30 seeds").isNotNull();
        assertValidWeatherCall(call);

        // the conversation goes on with the tool's result, in the shape the agent will send it
        ChatResponse followUp = openAi(service, 3)
                .chat(ChatRequest.builder()
                        .messages(
                                UserMessage.from("What is the weather in Oslo for the next 3 days?"),
                                AiMessage.from(call),
                                ToolExecutionResultMessage.from(call, "Sunny, 21 degrees"))
                        .toolSpecifications(WEATHER)
                        .build());
        // a call, an answer, or (random weights) JSON cut off by max_tokens, which llama-server gives back empty
        assertThat(followUp.finishReason().name()).isIn("TOOL_EXECUTION", "STOP", "LENGTH");
        assertThat(followUp.aiMessage().hasToolExecutionRequests()
                        || followUp.aiMessage().text() != null
                        || followUp.finishReason().name().equals("LENGTH"))
                .isTrue();
    }

    @Test
    void should_refuse_a_tool_choice_naming_an_unknown_tool(ModelServiceHarness.Running service) throws Exception {
        String body = """
                {"model": "tiny", "messages": [{"role": "user", "content": "hi"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
                 "tool_choice": {"type": "function", "function": {"name": "launch_rockets"}}}""";

        var response = Http.post(service.baseUrl(), "/v1/chat/completions", body, service.auth());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(response)).contains("launch_rockets");
    }
}
