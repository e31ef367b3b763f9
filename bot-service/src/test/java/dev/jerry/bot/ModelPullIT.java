package dev.jerry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.testing.OllamaDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /jerry-admin pull}'s polling against a real model-service in front of an Ollama double, without Discord. */
class ModelPullIT {
    private static OllamaDouble ollama;
    private static ServiceApp model;
    private static ServiceClient client;

    @BeforeAll
    static void start() {
        ollama = OllamaDouble.start()
                .withModel("llama3.2:3b")
                .pullable("qwen2.5:0.5b")
                .pullable("slow:70b")
                .pullStepDelay(Duration.ofMillis(300));
        model = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_MODEL_PORT", "0",
                                "JERRY_OLLAMA_URL", ollama.baseUrl().toString(),
                                "JERRY_OLLAMA_MODELS", "llama3.2:3b",
                                "JERRY_CACHE_ENABLED", "false"))),
                        new ServiceMetrics("model"))
                .start();
        client = new UpstreamConfig("model-service", model.baseUrl(), Optional.empty())
                .client(ClientOptions.defaults().withMaxAttempts(1), new ServiceMetrics("test"));
    }

    @AfterAll
    static void stop() {
        model.stop();
        ollama.close();
    }

    private static List<String> pull(String name, Duration longest) {
        List<String> shown = new CopyOnWriteArrayList<>();
        new ModelPull(client, Duration.ofMillis(100), longest).run(name, "/jerry-admin pull", shown::add);
        return shown;
    }

    @Test
    void should_show_progress_then_ready_when_the_model_downloads() {
        // when
        List<String> shown = pull("qwen2.5:0.5b", Duration.ofMinutes(1));

        // then
        assertThat(shown.getLast()).isEqualTo("✅ Model `qwen2.5:0.5b` is ready.");
        assertThat(shown).anySatisfy(text -> assertThat(text).startsWith("⏳").contains("downloading"));
        assertThat(shown).doesNotHaveDuplicates();
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();
    }

    @Test
    void should_say_the_model_is_unknown_at_once() {
        // when
        List<String> shown = pull("nope:1b", Duration.ofMinutes(1));

        // then
        assertThat(shown)
                .singleElement()
                .satisfies(text -> assertThat(text).startsWith("❌").contains("nope:1b"));
    }

    @Test
    void should_stop_polling_and_say_how_to_ask_again_when_the_download_outlasts_the_token() {
        // when: the interaction's time is up before the download is done
        List<String> shown = pull("slow:70b", Duration.ZERO);

        // then
        assertThat(shown.getLast())
                .startsWith("⏳")
                .endsWith("Still downloading; check again with `/jerry-admin pull` later.");
    }
}
