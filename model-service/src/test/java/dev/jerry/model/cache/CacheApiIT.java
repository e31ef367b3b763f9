package dev.jerry.model.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.ModelServiceHarness;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import dev.jerry.model.inference.ModelRouter;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The semantic cache through the real HTTP API, in front of real llama.cpp, with the real embedding model. */
@ExtendWith(ModelServiceHarness.class)
class CacheApiIT {
    private static ServiceApp app;
    private static ServiceMetrics metrics;

    @BeforeAll
    static void start(ModelServiceHarness.Running upstream) {
        metrics = new ServiceMetrics("model");
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .cache(CacheConfig.defaults())
                .defaultMaxTokens(8)
                .build();
        app = ModelServiceApp.create(config, metrics, List.of(upstream.backend()), ModelServiceHarness.EMBEDDER)
                .start();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static JsonNode ask(List<ChatMessage> messages, String cache) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("messages", messages);
        body.put("seed", 1);
        body.put("max_tokens", 8);
        if (cache != null) {
            body.put("cache", cache);
        }
        var response = Http.post(app.baseUrl(), "/v1/inference", Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode ask(String question) throws Exception {
        return ask(List.of(ChatMessage.user(question)), null);
    }

    @Test
    void should_answer_a_paraphrase_from_the_cache_with_its_similarity() throws Exception {
        JsonNode first = ask("How do I rotate the API keys of the billing service?");
        JsonNode paraphrase = ask("How can I rotate the API keys of the billing service?");

        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(paraphrase.path("cached").asBoolean()).isTrue();
        assertThat(paraphrase.path("cache_similarity").asDouble()).isBetween(CacheConfig.DEFAULT_THRESHOLD, 1.0);
        assertThat(paraphrase.path("text").asText())
                .isEqualTo(first.path("text").asText());
        assertThat(metrics.scrape())
                .containsPattern(
                        "jerry_model_cache_lookups_total\\{[^}]*reason=\"semantic\"[^}]*result=\"hit_semantic\"");
    }

    @Test
    void should_miss_on_a_negation_a_number_an_entity_and_with_bypass() throws Exception {
        ask("How do I enable the firewall on the Berlin gateway for 5 users?");

        assertThat(ask("How do I disable the firewall on the Berlin gateway for 5 users?")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask("Why can't I enable the firewall on the Berlin gateway for 5 users?")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask("How do I enable the firewall on the Berlin gateway for 50 users?")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask("How do I enable the firewall on the Madrid gateway for 5 users?")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask(
                                List.of(ChatMessage.user(
                                        "How do I enable the firewall on the Berlin gateway for 5 users?")),
                                "bypass")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask("How do I enable the firewall on the Berlin gateway for 5 users?")
                        .path("cached")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void should_say_why_the_cache_answered_or_not_in_a_header_and_a_metric() throws Exception {
        // given
        String question = "How do I renew the TLS certificate of the staging proxy for 30 days?";
        String body = "{\"seed\":1,\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":%s}]}";
        String ollama = "{\"model\":\"tiny\",\"stream\":false,\"options\":{\"seed\":1,\"num_predict\":8},"
                + "\"messages\":[{\"role\":\"user\",\"content\":%s}]}";
        String openAi = "{\"model\":\"tiny\",\"seed\":1,\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":%s}]}";

        // when
        List<String> reasons = new ArrayList<>();
        for (String asked : List.of(
                question,
                question,
                "hey jerry, how do I renew the TLS certificate of the staging proxy for 30 days",
                "How do I renew the TLS certificate of the staging proxy for 90 days?")) {
            var response = Http.post(app.baseUrl(), "/v1/inference", body.formatted(Json.write(asked)));
            reasons.add(response.headers().firstValue("X-Jerry-Cache").orElse("none"));
        }
        var viaOllama = Http.post(app.baseUrl(), "/api/chat", ollama.formatted(Json.write(question)));
        var viaOpenAi = Http.post(app.baseUrl(), "/v1/chat/completions", openAi.formatted(Json.write(question)));
        var bypassed = Http.post(
                app.baseUrl(), "/v1/inference", body.formatted(Json.write(question)), "X-Jerry-Cache", "bypass");

        // then
        assertThat(reasons).containsExactly("miss", "exact", "normalized", "rejected:number");
        // the same model and options in another dialect: the same partition
        assertThat(viaOllama.headers().firstValue("X-Jerry-Cache")).contains("exact");
        assertThat(viaOpenAi.headers().firstValue("X-Jerry-Cache")).contains("exact");
        assertThat(bypassed.headers().firstValue("X-Jerry-Cache")).contains("bypass");
        assertThat(metrics.scrape())
                .containsPattern(
                        "jerry_model_cache_lookups_total\\{[^}]*reason=\"rejected:number\"[^}]*result=\"miss\"");
    }

    @Test
    void should_mark_a_streamed_openai_answer_from_the_cache_in_its_final_chunk() throws Exception {
        // given
        String request = "{\"model\":\"tiny\",\"seed\":1,\"max_tokens\":8,\"stream\":%s,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Which port does the metrics endpoint use?\"}]}";
        Http.post(app.baseUrl(), "/v1/chat/completions", request.formatted("false"));

        // when
        String stream = Http.post(app.baseUrl(), "/v1/chat/completions", request.formatted("true"))
                .body();

        // then
        String last = stream.lines()
                .filter(l -> l.contains("\"finish_reason\":\""))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(Json.mapper()
                        .readTree(last.substring("data: ".length()))
                        .path("cached")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void should_miss_when_the_system_prompt_or_an_earlier_turn_differs() throws Exception {
        var question = ChatMessage.user("What does the orange light on the router mean?");
        ask(List.of(ChatMessage.system("You are Jerry."), new ChatMessage("assistant", "Hi!"), question), null);

        assertThat(ask(
                                List.of(
                                        ChatMessage.system("You are Jerry."),
                                        new ChatMessage("assistant", "Hi!"),
                                        question),
                                null)
                        .path("cached")
                        .asBoolean())
                .isTrue();
        assertThat(ask(
                                List.of(
                                        ChatMessage.system("You are a pirate."),
                                        new ChatMessage("assistant", "Hi!"),
                                        question),
                                null)
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(ask(
                                List.of(
                                        ChatMessage.system("You are Jerry."),
                                        new ChatMessage("assistant", "Hello!"),
                                        question),
                                null)
                        .path("cached")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void should_replay_a_cached_answer_as_a_stream_and_mark_ollama_answers() throws Exception {
        JsonNode first = ask("Summarize the maintenance window policy");
        String stream = Http.post(
                        app.baseUrl(),
                        "/v1/inference",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Summarize the maintenance window policy\"}],"
                                + "\"seed\":1,\"max_tokens\":8,\"stream\":true}")
                .body();
        String ollama = Http.post(
                        app.baseUrl(),
                        "/api/chat",
                        "{\"model\":\"tiny\",\"stream\":false,\"options\":{\"seed\":1,\"num_predict\":8},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarize the maintenance window policy\"}]}",
                        "X-Jerry-Cache",
                        "bypass")
                .body();

        assertThat(stream).contains("event: delta").contains("\"cached\":true");
        StringBuilder replayed = new StringBuilder();
        String event = "";
        for (String line : stream.split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ") && event.equals("delta")) {
                replayed.append(
                        Json.mapper().readTree(line.substring(6)).path("text").asText());
            }
        }
        assertThat(replayed.toString()).isEqualTo(first.path("text").asText());
        assertThat(ollama).contains("\"cached\":false");
    }

    /** A backend that fails its first generation and then answers, counting calls. */
    private static final class FlakyBackend implements Backend {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ModelService describe() {
            return new ModelService("flaky", ModelService.Kind.OLLAMA, List.of("flaky"), 0);
        }

        @Override
        public Generation chat(ChatRequest request, TokenSink sink) {
            if (calls.incrementAndGet() == 1) {
                throw new UpstreamException.Unavailable("flaky", "flaky is down", null);
            }
            return new Generation("an answer", "stop", 3, 2, 1, 10);
        }

        @Override
        public HealthCheck.Result probe() {
            return HealthCheck.Result.up();
        }
    }

    @Test
    void should_not_cache_a_failed_generation_and_forget_answers_after_their_ttl() {
        var flaky = new FlakyBackend();
        var ticker = new AtomicLong();
        Embedder embedder = ModelServiceHarness.EMBEDDER;
        var cache = new SemanticCache(
                new CacheConfig(true, CacheConfig.DEFAULT_THRESHOLD, Duration.ofMinutes(10), 100, 8),
                embedder,
                new ServiceMetrics("t"),
                ticker::get);
        var inference = new Inference(
                new ModelRouter(List.of(flaky), embedder),
                new ServiceMetrics("t"),
                16,
                Optional.empty(),
                cache,
                QueueConfig.defaults());
        var ask = new Inference.Ask("flaky", List.of(ChatMessage.user("Is the VPN up?")), 16, 0.0, 1L);
        List<Boolean> cached = new ArrayList<>();

        try {
            inference.chat(ask, TokenSink.NONE);
        } catch (UpstreamException.Unavailable expected) {
            cached.add(null);
        }
        cached.add(inference.chat(ask, TokenSink.NONE).cached());
        cached.add(inference.chat(ask, TokenSink.NONE).cached());
        ticker.addAndGet(Duration.ofMinutes(11).toNanos());
        cached.add(inference.chat(ask, TokenSink.NONE).cached());

        // failed (nothing stored), generated, from the cache, generated again after the TTL
        assertThat(cached).containsExactly(null, false, true, false);
        assertThat(flaky.calls).hasValue(3);
    }

    @Test
    void should_keep_different_models_apart() {
        var key = SemanticCache.key("model-a", 0.8, 16, null, null, List.of(ChatMessage.user("hello")));
        var other = SemanticCache.key("model-b", 0.8, 16, null, null, List.of(ChatMessage.user("hello")));

        assertThat(key.partition()).isNotEqualTo(other.partition());
        assertThat(key.exact()).isNotEqualTo(other.exact());
    }
}
