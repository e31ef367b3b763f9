package dev.jerry.model.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.backend.ToolSpec;
import dev.jerry.testing.TinyLlamaGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old in-process engine ({@code JERRY_LLAMA_ENGINE=jni}) still answers, deterministically, and calls tools through
 * its grammar; the other model-service tests run on llama-server.
 */
class LlamaCppJniIT {

    @Test
    void should_answer_deterministically_and_call_a_required_tool_in_process(@TempDir Path dir) throws Exception {
        // given
        var config = new LlamaCppConfig(
                TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7),
                "tiny",
                TinyLlamaGguf.CONTEXT,
                1,
                0,
                Duration.ofMinutes(1));
        LlamaCppBackend backend = new LlamaCppBackend(config);
        var ask = new ChatRequest("tiny", List.of(ChatMessage.user("Hi!")), 8, 1.0, 5);
        var weather = new ToolSpec(
                "get_weather",
                "Weather forecast for a city",
                Json.mapper()
                        .readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
                                + "\"enum\":[\"Paris\",\"Oslo\"]}},\"required\":[\"city\"]}"));
        var toolRequest = new ChatRequest(
                "tiny",
                List.of(ChatMessage.user("Weather in Oslo?")),
                200,
                1.0,
                11,
                List.of(weather),
                new ToolChoice(ToolChoice.Mode.REQUIRED, null));

        // when
        Generation first = backend.chat(ask, TokenSink.NONE);
        Generation again = backend.chat(ask, TokenSink.NONE);
        Generation call = backend.chat(toolRequest, TokenSink.NONE);

        // then
        assertThat(first.completionTokens()).isBetween(1, 8);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(call.finishReason()).isEqualTo("tool_calls");
        assertThat(call.toolCalls().getFirst().name()).isEqualTo("get_weather");
        assertThat(call.toolCalls().getFirst().arguments().path("city").asText())
                .isIn("Paris", "Oslo");
    }
}
