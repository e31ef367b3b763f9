package dev.jerry.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.AgentClient;
import dev.jerry.bot.AgentDouble;
import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalChatIT {

    private static AgentClient client(URI url) {
        return new AgentClient(new UpstreamConfig("agent-service", url, Optional.empty())
                .client(ClientOptions.defaults().withMaxAttempts(1), new ServiceMetrics("chat")));
    }

    private static TerminalChat chat(URI agent, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new TerminalChat(
                client(agent),
                7,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void should_print_the_streamed_answer_and_its_sources() {
        try (AgentDouble agent = AgentDouble.start()) {
            agent.script(r -> List.of(
                    new Step.Status("searching the knowledge base…"),
                    new Step.Delta("Heavy water "),
                    new Step.Delta("[1]."),
                    new Step.Done(List.of(new AgentChatResponse.Source("manual.pdf", 2, "Manual", null)))));
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var chat = chat(agent.baseUrl(), out, err);

            boolean answered = chat.ask("How is the core cooled?");

            assertThat(answered).isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Heavy water [1].\n\n[1] manual.pdf, p. 2\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("(searching the knowledge base…)");
            assertThat(agent.requests().getLast().conversationId()).isEqualTo("dm:7");
        }
    }

    @Test
    void should_say_readably_that_the_agent_is_down() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var chat = chat(URI.create("http://127.0.0.1:" + Ports.free()), out, err);

        assertThat(chat.ask("hello")).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("⚠️ I can't answer right now:")
                .contains("agent-service");
    }

    @Test
    void should_say_what_to_set_and_not_to_retry_when_no_language_model_is_available() {
        try (AgentDouble agent = AgentDouble.start()) {
            // given: agent-service's error event when model-service has no model and cannot download its preset
            String detail = "model 'llama-3.2-1b' could not be downloaded (https://huggingface.co/bartowski/"
                    + "Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf: the host"
                    + " huggingface.co could not be resolved; check the network or the proxy settings, then restart)";
            agent.script(r -> List.of(new Step.Error(
                    "not_configured",
                    "no language model is available; set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to"
                            + " an Ollama server, then restart model-service (model-service: " + detail + ")")));
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var chat = chat(agent.baseUrl(), out, err);

            // when
            boolean answered = chat.ask("hello");

            // then: the advice whole, the detail clipped, no class name, no advice that cannot help
            String said = err.toString(StandardCharsets.UTF_8);
            assertThat(answered).isFalse();
            assertThat(said)
                    .contains("no language model is available; set JERRY_MODEL_PATH to a GGUF file or"
                            + " JERRY_OLLAMA_URL to an Ollama server, then restart model-service (model-service:")
                    .containsPattern("…\\)\\.\\n$")
                    .doesNotContainPattern("\\w+Exception")
                    .doesNotContainIgnoringCase("try again");
        }
    }

    @Test
    void should_pass_on_the_advice_when_the_agent_answers_not_configured() {
        try (AgentDouble agent = AgentDouble.start()) {
            // given: the plain (non-streamed) refusal, 503 with type not_configured
            agent.script(r -> List.of(new Step.Refuse(
                    503,
                    "not_configured",
                    "model-service rejects agent-service's token; set JERRY_MODEL_SERVICE_TOKEN to a token listed in"
                            + " model-service's JERRY_AUTH_TOKENS")));
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var chat = chat(agent.baseUrl(), out, err);

            // when
            boolean answered = chat.ask("hello");

            // then
            assertThat(answered).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("set JERRY_MODEL_SERVICE_TOKEN")
                    .doesNotContainIgnoringCase("try again");
        }
    }

    @Test
    void should_tell_when_to_try_again_when_the_agent_says_model_service_is_busy() {
        try (AgentDouble agent = AgentDouble.start()) {
            // given
            agent.script(r -> List.of(new Step.Busy("model-service is busy: the queue is full", 12)));
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var chat = chat(agent.baseUrl(), out, err);

            // when
            boolean answered = chat.ask("hello");

            // then
            assertThat(answered).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("Jerry is busy")
                    .contains("try again in 12 s");
        }
    }
}
