package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.api.InferenceRequest;
import dev.jerry.kit.api.InferenceResponse;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.SseEvent;
import dev.jerry.kit.client.SseStream;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.Http;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ModelServiceHarness.class)
class InferenceApiIT {

    private static ServiceClient client(ModelServiceHarness.Running service) {
        return new ServiceClient(
                "model-service",
                service.baseUrl(),
                Optional.of(new Secret(ModelServiceHarness.TOKEN)),
                ClientOptions.defaults(),
                new ServiceMetrics("caller"));
    }

    private static InferenceRequest request(String model, int maxTokens, long seed, boolean stream) {
        return new InferenceRequest(
                model,
                List.of(ChatMessage.system("You are Jerry."), ChatMessage.user("Hi!")),
                maxTokens,
                1.0,
                null,
                seed,
                stream,
                null);
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body()).path("error");
    }

    @Test
    void should_answer_with_usage_and_honour_max_tokens(ModelServiceHarness.Running service) {
        InferenceResponse response =
                client(service).post("/v1/inference", request(null, 5, 1, false), InferenceResponse.class);

        assertThat(response.model()).isEqualTo("tiny");
        assertThat(response.usage().completionTokens()).isBetween(1, 5);
        assertThat(response.usage().promptTokens()).isPositive();
        assertThat(response.finishReason()).isIn("stop", "length");
        assertThat(response.cached()).isFalse();
    }

    @Test
    void should_stream_deltas_then_done_with_the_same_text_as_without_streaming(ModelServiceHarness.Running service) {
        List<String> deltas = new ArrayList<>();
        InferenceResponse done = null;
        try (SseStream stream = client(service).stream("/v1/inference", request("tiny", 8, 99, true), Map.of())) {
            Optional<SseEvent> event;
            while ((event = stream.next()).isPresent()) {
                JsonNode data = read(event.get().data());
                switch (event.get().event()) {
                    case "delta" -> deltas.add(data.path("text").asText());
                    case "done" -> done = Json.mapper().convertValue(data, InferenceResponse.class);
                    case "queue" ->
                        assertThat(deltas)
                                .as("queue events come before the first token")
                                .isEmpty();
                    default -> throw new AssertionError("unexpected event " + event.get());
                }
            }
        }

        assertThat(done).isNotNull();
        assertThat(String.join("", deltas)).isEqualTo(done.text());
        assertThat(done.usage().completionTokens()).isEqualTo(deltas.size());
        assertThat(done.text())
                .isEqualTo(client(service)
                        .post("/v1/inference", request("tiny", 8, 99, false), InferenceResponse.class)
                        .text());
    }

    @Test
    void should_answer_an_unknown_model_with_404_listing_the_available_ones(ModelServiceHarness.Running service)
            throws Exception {
        var response = Http.post(
                service.baseUrl(),
                "/v1/inference",
                "{\"model\":\"llama9:70b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                service.auth());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).path("message").asText())
                .isEqualTo("model 'llama9:70b' is not available; available models: tiny, bge-small-en-v1.5");
    }

    @Test
    void should_answer_bad_input_with_400_naming_the_field(ModelServiceHarness.Running service) throws Exception {
        var noMessages = Http.post(service.baseUrl(), "/v1/inference", "{\"messages\":[]}", service.auth());
        var badRole = Http.post(
                service.baseUrl(),
                "/api/chat",
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
                service.auth());
        var badTemperature = Http.post(
                service.baseUrl(),
                "/v1/inference",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":7}",
                service.auth());
        var badTopP = Http.post(
                service.baseUrl(),
                "/v1/inference",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_p\":1.5}",
                service.auth());

        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(error(noMessages).path("message").asText()).contains("'messages'");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(error(badRole).asText()).contains("'role'"); // Ollama's error shape on /api/*
        assertThat(badTemperature.statusCode()).isEqualTo(400);
        assertThat(error(badTemperature).path("message").asText()).contains("'temperature'");
        assertThat(badTopP.statusCode()).isEqualTo(400);
        assertThat(error(badTopP).path("message").asText()).contains("'top_p'");
    }

    @Test
    void should_answer_a_prompt_longer_than_the_context_with_400_stating_the_limit(ModelServiceHarness.Running service)
            throws Exception {
        String longPrompt = "zebra quantum ".repeat(1500);
        String body = Json.write(
                new InferenceRequest(null, List.of(ChatMessage.user(longPrompt)), 5, null, null, null, null, null));

        var response = Http.post(service.baseUrl(), "/v1/inference", body, service.auth());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText())
                .matches("the prompt is \\d+ tokens; the context of model 'tiny' holds " + ModelServiceHarness.CONTEXT
                        + " tokens");
    }

    @Test
    void should_cancel_the_generation_when_the_client_disconnects(ModelServiceHarness.Running service)
            throws Exception {
        // given: a long streamed generation
        String body = Json.write(request("tiny", 1500, 5, true));
        HttpRequest httpRequest = HttpRequest.newBuilder(service.baseUrl().resolve("/v1/inference"))
                .header("Authorization", "Bearer " + ModelServiceHarness.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        double cancelledBefore = counter(service, "cancelled");

        // when: the client reads the first event and hangs up
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null && !line.equals("event: delta")) {
                    // the queue position comes first
                }
                assertThat(line).isEqualTo("event: delta");
            }
        }

        // then: the generation was cancelled (not run to its end), and the backend serves the next request
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (counter(service, "cancelled") == cancelledBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(counter(service, "cancelled")).isEqualTo(cancelledBefore + 1);
        assertThat(client(service)
                        .post("/v1/inference", request("tiny", 2, 1, false), InferenceResponse.class)
                        .usage()
                        .completionTokens())
                .isPositive();
    }

    @Test
    void should_prove_generation_and_embeddings_in_readiness(ModelServiceHarness.Running service) throws Exception {
        var response = Http.get(service.baseUrl(), "/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode checks = Json.mapper().readTree(response.body()).path("checks");
        assertThat(checks.path("llama.cpp").path("status").asText()).isEqualTo("up");
        assertThat(checks.path("embeddings").path("details").path("dimension").asInt())
                .isEqualTo(384);
    }

    @Test
    void should_count_tokens_and_time_to_first_token_in_metrics(ModelServiceHarness.Running service) {
        client(service).post("/v1/inference", request("tiny", 3, 3, false), InferenceResponse.class);

        String metrics = Http.get(service.baseUrl(), "/metrics").body();

        assertThat(metrics)
                .containsPattern("jerry_model_tokens_total\\{[^}]*direction=\"completion\"[^}]*model=\"tiny\"")
                .containsPattern("jerry_model_time_to_first_token_seconds_count\\{[^}]*model=\"tiny\"")
                .containsPattern("jerry_model_generations_total\\{[^}]*outcome=\"ok\"");
    }

    private static double counter(ModelServiceHarness.Running service, String outcome) {
        var counter = service.metrics()
                .registry()
                .find("jerry.model.generations")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
