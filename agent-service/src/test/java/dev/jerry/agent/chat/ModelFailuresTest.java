package dev.jerry.agent.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.client.UpstreamException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelFailuresTest {
    private final ModelFailures failures = new ModelFailures(URI.create("http://127.0.0.1:8081"), "llama3");

    @Test
    void should_keep_the_retry_after_of_a_refusal_wrapped_by_langchain4j() {
        // given: LangChain4j's exception around model-service's 429
        var refusal = new QueueWatch.Refusal(429, "the queue of ollama is full", Optional.of(Duration.ofSeconds(9)));

        // when
        RuntimeException translated = failures.translate(new RateLimitException(refusal));

        // then
        assertThat(translated).isInstanceOf(UpstreamException.Busy.class);
        assertThat(((UpstreamException) translated).retryAfter()).contains(Duration.ofSeconds(9));
        assertThat(translated.getMessage()).isEqualTo("model-service is busy: the queue of ollama is full");
    }

    @Test
    void should_say_in_words_what_langchain4j_types_and_lost_connections_mean() {
        // when
        RuntimeException auth = failures.translate(new AuthenticationException("401"));
        RuntimeException down = failures.translate(new RuntimeException(
                new java.io.IOException("java.net.ConnectException: refused", new ConnectException())));
        RuntimeException stream = failures.translate(
                new RuntimeException("dev.langchain4j.model.ollama.OllamaStreamingException: model 'x' could not be"
                        + " downloaded (no network)."));

        // then
        assertThat(auth.getMessage()).contains("JERRY_MODEL_SERVICE_TOKEN");
        assertThat(down.getMessage()).contains("not reachable (yet) at http://127.0.0.1:8081");
        assertThat(stream.getMessage())
                .isEqualTo("no language model is available; set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL"
                        + " to an Ollama server, then restart model-service (model-service: model 'x' could not be"
                        + " downloaded (no network))");
        // only a change of configuration mends these two: the error type says so, and they are not retried
        assertThat(((UpstreamException) stream).errorType()).isEqualTo("not_configured");
        assertThat(((UpstreamException) stream).retriable()).isFalse();
        assertThat(((UpstreamException) auth).errorType()).isEqualTo("not_configured");
        assertThat(((UpstreamException) down).errorType()).isEqualTo("upstream_unavailable");
    }

    @Test
    void should_give_the_advice_once_when_model_service_already_gave_it() {
        // when: model-service's own words for a preset it could not download
        RuntimeException offline = failures.translate(new RuntimeException("model 'llama-3.2-1b' could not be"
                + " downloaded (connection refused); set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an"
                + " Ollama server"));

        // then
        assertThat(offline.getMessage())
                .startsWith("no language model is available; set JERRY_MODEL_PATH")
                .endsWith("(model-service: model 'llama-3.2-1b' could not be downloaded (connection refused))");
    }

    @Test
    void should_read_the_message_of_every_error_body_shape_and_strip_html() {
        assertThat(QueueWatch.detail("{\"error\":{\"type\":\"bad_request\",\"message\":\"field 'x' is wrong\"}}"))
                .isEqualTo("field 'x' is wrong");
        assertThat(QueueWatch.detail("{\"error\":\"model \\\"x\\\" not found\"}"))
                .isEqualTo("model \"x\" not found");
        assertThat(QueueWatch.detail(
                        "<html><body><h2>HTTP ERROR 431 Request Header Fields Too Large</h2></body></html>"))
                .isEqualTo("HTTP ERROR 431 Request Header Fields Too Large");
    }
}
