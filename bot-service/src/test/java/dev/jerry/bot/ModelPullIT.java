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

/**
 * {@code /jerry-admin pull}'s distribution and polling against a real model-service in front of two Ollama doubles,
 * without Discord.
 */
class ModelPullIT {
    private static OllamaDouble ollama;
    private static OllamaDouble other;
    private static ServiceApp model;
    private static ServiceClient client;

    @BeforeAll
    static void start() {
        ollama = OllamaDouble.start()
                .withModel("llama3.2:3b")
                .pullable("qwen2.5:0.5b")
                .pullable("slow:70b")
                .pullStepDelay(Duration.ofMillis(300));
        other = OllamaDouble.start()
                .withModel("llama3.2:3b")
                .pullable("phi3:mini")
                .pullable("qwen2.5:0.5b");
        model = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_MODEL_PORT", "0",
                                "JERRY_OLLAMA_URL", ollama.baseUrl() + "," + other.baseUrl(),
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
        other.close();
    }

    private static List<String> pull(String name, Optional<String> node, Duration longest) {
        List<String> shown = new CopyOnWriteArrayList<>();
        new ModelPull(client, Duration.ofMillis(100), longest).run(name, node, "/jerry-admin pull", shown::add);
        return shown;
    }

    private static List<String> pull(String name, Duration longest) {
        return pull(name, Optional.empty(), longest);
    }

    @Test
    void should_show_a_progress_bar_per_node_then_ready_when_the_model_downloads_on_all_nodes() {
        // when
        List<String> shown = pull("qwen2.5:0.5b", Duration.ofMinutes(1));

        // then
        assertThat(shown.getLast()).startsWith("✅ Model `qwen2.5:0.5b` is ready.");
        assertThat(shown.getLast().lines().skip(1))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("ready"));
        assertThat(shown)
                .anySatisfy(text ->
                        assertThat(text).startsWith("⏳").contains("downloading").contains("█"));
        assertThat(shown).doesNotHaveDuplicates();
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();
    }

    @Test
    void should_pull_on_the_chosen_node_only() {
        // given: the node names offered while the admin types
        List<String> choices = new ModelPull(client, Duration.ofMillis(100), Duration.ofMinutes(1)).nodeChoices("", 25);
        assertThat(choices).hasSize(3).first().isEqualTo(ModelPull.ALL);
        String second = choices.get(2);

        // when
        List<String> shown = pull("phi3:mini", Optional.of(second), Duration.ofMinutes(1));

        // then
        assertThat(shown.getLast()).startsWith("✅").contains("`" + second + "`");
        assertThat(shown.getLast().lines()).hasSize(2);
        assertThat(other.has("phi3:mini")).isTrue();
        assertThat(ollama.requests("/api/pull"))
                .noneSatisfy(r -> assertThat(r.path("model").asText()).startsWith("phi3"));
    }

    @Test
    void should_say_the_model_is_unknown() {
        // when
        List<String> shown = pull("nope:1b", Duration.ofMinutes(1));

        // then
        assertThat(shown.getLast()).startsWith("❌").contains("nope:1b");
    }

    @Test
    void should_refuse_an_invalid_name_or_an_unknown_node_at_once() {
        // when
        List<String> invalid = pull("../x", Duration.ofMinutes(1));
        List<String> unknown = pull("phi3:mini", Optional.of("ghost"), Duration.ofMinutes(1));

        // then
        assertThat(invalid)
                .singleElement()
                .satisfies(text -> assertThat(text).startsWith("❌").contains("not a valid model name"));
        assertThat(unknown)
                .singleElement()
                .satisfies(text -> assertThat(text).startsWith("❌").contains("'ghost'"));
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
