package dev.jerry.model;

import static dev.jerry.testing.ClientScripts.error;
import static dev.jerry.testing.ClientScripts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.testing.ClientScripts;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * model-service driven by the official client libraries of another ecosystem: the {@code openai} and {@code ollama}
 * npm packages (pinned in {@code configs/compat-clients}), one Node script per API family. It asserts on what each
 * library hands its user: vector lengths, stream ends, usage, and readable error messages. The service runs real
 * llama.cpp on the generated model ({@code tiny}), the real embedding model, and one Ollama node (the double) for what
 * only a node has (copies, deletes, loaded models with an expiry). Answers of the random-weight model are checked by
 * structure only.
 */
@ExtendWith(ModelServiceHarness.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCompatibilityIT {
    private static final String NODE_MODEL = "qwen-node";
    private static final String PULLABLE_MODEL = "gemma-later";
    /** A node model whose streamed answers break off mid-way. */
    private static final String BROKEN_MODEL = "breaks-midway";

    private static final int DIMENSION = 384;

    private OllamaDouble ollama;
    private ServiceApp service;
    private ModelServiceHarness.Running harness;
    private JsonNode openai;
    private JsonNode ollamaResults;

    @BeforeAll
    void start(ModelServiceHarness.Running harness) {
        this.harness = harness;
        ollama = OllamaDouble.start()
                .withModel(NODE_MODEL)
                .pullable(PULLABLE_MODEL)
                .breaksStreams(BROKEN_MODEL)
                .pullStepDelay(Duration.ofMillis(300));
        var metrics = new ServiceMetrics("model");
        var nodes = new OllamaConfig(
                List.of(ollama.baseUrl()),
                Optional.empty(),
                List.of(),
                true,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        OllamaBackend node = new OllamaBackend(ollama.baseUrl(), nodes, metrics);
        node.start();
        List<Backend> backends = new ArrayList<>(List.of(harness.backend(), node));
        var config = ModelServiceHarness.config(Optional.empty(), Optional.of(nodes));
        service = ModelServiceApp.create(config, metrics, backends, ModelServiceHarness.EMBEDDER)
                .start();
        Map<String, String> env = Map.of(
                "JERRY_BASE_URL",
                service.baseUrl().toString(),
                "JERRY_TOKEN",
                ModelServiceHarness.TOKEN,
                "JERRY_CHAT_MODEL",
                "tiny",
                "JERRY_EMBEDDING_MODEL",
                ModelServiceHarness.EMBEDDER.id(),
                "JERRY_NODE_MODEL",
                NODE_MODEL,
                "JERRY_PULLABLE_MODEL",
                PULLABLE_MODEL,
                "JERRY_BROKEN_MODEL",
                BROKEN_MODEL);
        openai = ClientScripts.run("openai.mjs", env);
        ollamaResults = ClientScripts.run("ollama.mjs", env);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.stop();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asInt()));
        return values;
    }

    // --- OpenAI ---

    @Test
    void should_list_chat_and_embedding_models_when_openai_client_lists_models() {
        // given the service above; when the openai client lists models
        JsonNode models = ok(openai, "models");

        // then
        assertThat(models).extracting(JsonNode::asText).contains("tiny", NODE_MODEL, "bge-small-en-v1.5");
    }

    @Test
    void should_answer_plain_and_streamed_chats_with_usage_when_openai_client_asks() {
        // given the service above; when the openai client chats plainly and streamed (include_usage)
        JsonNode chat = ok(openai, "chat");
        JsonNode stream = ok(openai, "chat_stream");

        // then
        assertThat(chat.path("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.path("content").isTextual()).isTrue();
        assertThat(chat.path("finish_reason").asText()).isIn("stop", "length");
        assertThat(chat.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(chat.path("usage").path("total_tokens").asInt())
                .isEqualTo(chat.path("usage").path("prompt_tokens").asInt()
                        + chat.path("usage").path("completion_tokens").asInt());
        assertThat(stream.path("ended").asBoolean()).isTrue();
        assertThat(stream.path("chunks").asInt()).isGreaterThan(1);
        assertThat(stream.path("finish_reason").asText()).isIn("stop", "length");
        assertThat(stream.path("usage").path("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void should_return_a_tool_call_with_schema_arguments_when_openai_client_requires_a_tool() {
        // given the service above; when the openai client sends a tool with tool_choice required
        JsonNode call = ok(openai, "chat_tools");

        // then
        assertThat(call.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(call.path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("arguments").path("city").asText()).isIn("Paris", "Oslo");
    }

    @Test
    void should_answer_json_following_the_schema_when_openai_client_sets_response_format() {
        // given the service above; when the openai client asks for a json_schema response_format
        JsonNode answer = ok(openai, "chat_json_schema");

        // then
        assertThat(answer.path("parsed").path("ok").isBoolean()).isTrue();
    }

    @Test
    void should_complete_plainly_and_streamed_when_openai_client_uses_legacy_completions() {
        // given the service above; when the openai client calls /v1/completions
        JsonNode plain = ok(openai, "completion");
        JsonNode stream = ok(openai, "completion_stream");

        // then
        assertThat(plain.path("object").asText()).isEqualTo("text_completion");
        assertThat(plain.path("text").isTextual()).isTrue();
        assertThat(plain.path("finish_reason").asText()).isIn("stop", "length");
        assertThat(plain.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(stream.path("ended").asBoolean()).isTrue();
        assertThat(stream.path("finish_reason").asText()).isIn("stop", "length");
        assertThat(stream.path("usage").path("completion_tokens").isInt()).isTrue();
    }

    @Test
    void should_hand_full_length_vectors_when_openai_client_embeds_with_default_base64_or_float() {
        // given the service above; when the openai client embeds (its default is base64) and with float
        // then every vector has the model's dimension, and base64 decodes to the same numbers as float
        assertThat(ints(ok(openai, "embedding_default").path("lengths"))).containsExactly(DIMENSION);
        assertThat(ok(openai, "embedding_default").path("finite").asBoolean()).isTrue();
        assertThat(ints(ok(openai, "embedding_default_batch").path("lengths")))
                .containsExactly(DIMENSION, DIMENSION, DIMENSION);
        assertThat(ok(openai, "embedding_default_batch").path("finite").asBoolean())
                .isTrue();
        assertThat(ints(ok(openai, "embedding_float").path("lengths"))).containsExactly(DIMENSION);
        assertThat(ints(ok(openai, "embedding_float_batch").path("lengths"))).containsExactly(DIMENSION, DIMENSION);
        JsonNode fromFloat = ok(openai, "embedding_float").path("first");
        JsonNode fromBase64 = ok(openai, "embedding_base64_first").path("first");
        for (int i = 0; i < 4; i++) {
            assertThat(fromBase64.get(i).asDouble())
                    .isCloseTo(fromFloat.get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void should_send_little_endian_float32_in_base64_when_encoding_format_is_base64() throws Exception {
        // given the same text asked for as floats and as base64 on the wire (the Node SDK accepts either)
        String floats = "{\"input\": \"hello world\", \"encoding_format\": \"float\"}";
        String base64 = "{\"input\": \"hello world\", \"encoding_format\": \"base64\"}";

        // when
        JsonNode asFloats = Json.mapper()
                .readTree(Http.post(service.baseUrl(), "/v1/embeddings", floats, harness.auth())
                        .body())
                .path("data")
                .get(0)
                .path("embedding");
        JsonNode asBase64 = Json.mapper()
                .readTree(Http.post(service.baseUrl(), "/v1/embeddings", base64, harness.auth())
                        .body())
                .path("data")
                .get(0)
                .path("embedding");

        // then
        assertThat(asBase64.isTextual()).isTrue();
        var bytes = java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(asBase64.asText()))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(DIMENSION * Float.BYTES);
        for (int i = 0; i < DIMENSION; i++) {
            assertThat(bytes.getFloat()).isEqualTo((float) asFloats.get(i).asDouble());
        }
    }

    @Test
    void should_surface_readable_errors_when_openai_client_sends_bad_requests() {
        // given the service above; when the openai client sends bad requests
        JsonNode unknown = error(openai, "error_unknown_model");
        JsonNode badBody = error(openai, "error_bad_body");
        JsonNode badEncoding = error(openai, "error_bad_encoding");
        JsonNode unauthorized = error(openai, "error_unauthorized");

        // then each is the SDK's error class for the status, with our message in it
        assertThat(unknown.path("class").asText()).isEqualTo("NotFoundError");
        assertThat(unknown.path("message").asText()).contains("no-such-model");
        assertThat(badBody.path("class").asText()).isEqualTo("BadRequestError");
        assertThat(badBody.path("message").asText()).contains("messages");
        assertThat(badEncoding.path("status").asInt()).isEqualTo(400);
        assertThat(badEncoding.path("message").asText()).contains("encoding_format");
        assertThat(unauthorized.path("class").asText()).isEqualTo("AuthenticationError");
        assertThat(unauthorized.path("message").asText()).contains("token");
    }

    @Test
    void should_answer_openai_error_shape_when_a_v1_request_fails() throws Exception {
        // given the service above; when an OpenAI route fails
        var response = Http.post(
                service.baseUrl(),
                "/v1/chat/completions",
                "{\"model\": \"no-such-model\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                harness.auth());

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = Json.mapper().readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains("no-such-model");
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(error.has("request_id")).isFalse();
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void should_end_an_openai_stream_with_an_openai_error_when_the_answer_breaks_off() throws Exception {
        // given a node that dies mid-answer; when the openai client streams from it
        JsonNode raised = error(openai, "error_mid_stream");

        // then the SDK raises its API error with our message, type and code
        assertThat(raised.path("class").asText()).isEqualTo("APIError");
        assertThat(raised.path("message").asText()).contains("done");
        assertThat(raised.path("type").asText()).isEqualTo("server_error");
        assertThat(raised.path("code").asText()).isEqualTo("upstream_error");

        // and on the wire: after a 200 and text, the last event is OpenAI's error object, nothing of Jerry's shape
        var response = Http.post(
                service.baseUrl(),
                "/v1/chat/completions",
                "{\"model\": \"" + BROKEN_MODEL + "\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"hi\"}]}",
                harness.auth());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = response.body()
                .lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();
        assertThat(events).hasSizeGreaterThan(1);
        JsonNode error = Json.mapper().readTree(events.getLast()).path("error");
        assertThat(error.isObject()).as(events.getLast()).isTrue();
        assertThat(error.path("message").asText()).contains("ended the answer");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(error.has("request_id")).isFalse();
    }

    @Test
    void should_end_an_ollama_stream_with_an_ollama_error_when_the_answer_breaks_off() throws Exception {
        // given a node that dies mid-answer; when the ollama client streams from it
        JsonNode raised = error(ollamaResults, "error_mid_stream");

        // then the library raises an error with our message
        assertThat(raised.path("message").asText()).contains("done");

        // and on the wire: after a 200 and text, the last line is Ollama's {"error": "..."}
        var response = Http.post(
                service.baseUrl(),
                "/api/chat",
                "{\"model\": \"" + BROKEN_MODEL + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                harness.auth());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = response.body().lines().toList();
        assertThat(lines).hasSizeGreaterThan(1);
        JsonNode last = Json.mapper().readTree(lines.getLast());
        assertThat(last.path("error").isTextual()).as(lines.getLast()).isTrue();
        assertThat(last.path("error").asText()).contains("ended the answer");
    }

    // --- Ollama ---

    @Test
    void should_report_real_sizes_digests_and_times_when_ollama_client_lists_models() throws Exception {
        // given the GGUF file the in-process model was loaded from, and the node's model
        var file = harness.modelFile();

        // when the ollama client lists models
        JsonNode tags = ok(ollamaResults, "tags");

        // then
        JsonNode tiny = find(tags, "tiny:latest");
        assertThat(tiny.path("size").asLong()).isEqualTo(Files.size(file));
        assertThat(tiny.path("digest").asText()).isEqualTo(Sha256.hexOfFile(file));
        assertThat(Instant.parse(tiny.path("modified_at").asText()))
                .isEqualTo(Files.getLastModifiedTime(file).toInstant());
        assertThat(tiny.path("details").path("family").asText()).isEqualTo("llama");
        JsonNode node = find(tags, NODE_MODEL + ":latest");
        assertThat(node.path("size").asLong()).isEqualTo(OllamaDouble.size(NODE_MODEL));
        assertThat(node.path("digest").asText()).isEqualTo(OllamaDouble.digest(NODE_MODEL));
        assertThat(Instant.parse(node.path("modified_at").asText())).isEqualTo(OllamaDouble.MODIFIED);
        JsonNode embedding = find(tags, "bge-small-en-v1.5:latest");
        assertThat(embedding.path("size").asLong()).isGreaterThan(1_000_000);
        assertThat(embedding.path("digest").asText()).hasSize(64);
    }

    private static JsonNode find(JsonNode models, String name) {
        for (JsonNode model : models) {
            if (model.path("name").asText().equals(name)) {
                return model;
            }
        }
        throw new AssertionError(name + " not in " + models);
    }

    @Test
    void should_show_version_model_details_and_loaded_models_when_ollama_client_asks() throws Exception {
        // given the service above; when the ollama client asks for the version, a model's details and ps
        String version = ok(ollamaResults, "version").asText();
        JsonNode show = ok(ollamaResults, "show");
        JsonNode ps = ok(ollamaResults, "ps");

        // then
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(show.path("capabilities")).extracting(JsonNode::asText).contains("completion", "tools");
        assertThat(show.path("model_info").path("llama.context_length").asInt()).isEqualTo(ModelServiceHarness.CONTEXT);
        assertThat(show.path("details").path("format").asText()).isEqualTo("gguf");
        assertThat(show.path("modified_at").asText()).isNotEmpty();
        assertThat(find(ps, "tiny:latest").path("size").asLong()).isEqualTo(Files.size(harness.modelFile()));
        assertThat(Instant.parse(
                        find(ps, NODE_MODEL + ":latest").path("expires_at").asText()))
                .isAfter(Instant.now());
    }

    @Test
    void should_answer_chat_and_generate_plainly_and_streamed_when_ollama_client_asks() {
        // given the service above; when the ollama client chats and generates
        JsonNode chat = ok(ollamaResults, "chat");
        JsonNode chatStream = ok(ollamaResults, "chat_stream");
        JsonNode generate = ok(ollamaResults, "generate");
        JsonNode generateStream = ok(ollamaResults, "generate_stream");

        // then every answer ends with done, and options reached the model (num_predict bounds the count)
        assertThat(chat.path("done").asBoolean()).isTrue();
        assertThat(chat.path("role").asText()).isEqualTo("assistant");
        assertThat(chat.path("eval_count").asInt()).isBetween(0, 8);
        assertThat(chat.path("prompt_eval_count").asInt()).isPositive();
        assertThat(chatStream.path("done").asBoolean()).isTrue();
        assertThat(chatStream.path("done_reason").asText()).isIn("stop", "length");
        assertThat(chatStream.path("eval_count").asInt()).isBetween(0, 8);
        assertThat(generate.path("done").asBoolean()).isTrue();
        assertThat(generate.path("response").isTextual()).isTrue();
        assertThat(generateStream.path("done").asBoolean()).isTrue();
    }

    @Test
    void should_answer_json_following_the_schema_when_ollama_client_sets_format() {
        // given the service above; when the ollama client sets format to a JSON schema
        JsonNode answer = ok(ollamaResults, "chat_format");

        // then
        assertThat(answer.path("parsed").path("ok").isBoolean()).isTrue();
    }

    @Test
    void should_hand_full_length_vectors_when_ollama_client_embeds() {
        // given the service above; when the ollama client embeds with embed (single, batch) and the older embeddings
        // then
        assertThat(ints(ok(ollamaResults, "embed"))).containsExactly(DIMENSION);
        assertThat(ints(ok(ollamaResults, "embed_batch"))).containsExactly(DIMENSION, DIMENSION, DIMENSION);
        assertThat(ok(ollamaResults, "embeddings_legacy").asInt()).isEqualTo(DIMENSION);
    }

    @Test
    void should_pull_copy_and_delete_on_the_node_when_ollama_client_manages_models() {
        // given the node's model; when the ollama client pulls it, copies it and deletes the copy
        JsonNode pull = ok(ollamaResults, "pull");

        // then
        assertThat(pull.get(pull.size() - 1).asText()).isEqualTo("success");
        JsonNode pullNew = ok(ollamaResults, "pull_new");
        assertThat(pullNew.path("statuses")
                        .get(pullNew.path("statuses").size() - 1)
                        .asText())
                .isEqualTo("success");
        assertThat(pullNew.path("total").asLong()).isPositive();
        assertThat(pullNew.path("largest_completed").asLong()).isPositive();
        assertThat(ollama.has(PULLABLE_MODEL)).isTrue();
        assertThat(error(ollamaResults, "error_pull_unknown").path("message").asText())
                .contains("no-such-model");
        assertThat(ok(ollamaResults, "copy").asText()).isEqualTo("success");
        assertThat(ok(ollamaResults, "tags_after_copy"))
                .extracting(JsonNode::asText)
                .contains(NODE_MODEL + "-copy:latest");
        assertThat(ok(ollamaResults, "delete").asText()).isEqualTo("success");
        assertThat(ok(ollamaResults, "tags_after_delete"))
                .extracting(JsonNode::asText)
                .doesNotContain(NODE_MODEL + "-copy:latest")
                .contains(NODE_MODEL + ":latest");
        assertThat(ollama.has(NODE_MODEL + "-copy")).isFalse();
        assertThat(ollama.requests("/api/copy")).hasSize(1);
    }

    @Test
    void should_surface_readable_errors_when_ollama_client_sends_bad_requests() {
        // given the service above; when the ollama client sends requests that cannot be served
        JsonNode deleteInProcess = error(ollamaResults, "error_delete_in_process");
        JsonNode copyInProcess = error(ollamaResults, "error_copy_in_process");
        JsonNode unknown = error(ollamaResults, "error_unknown_model");
        JsonNode unknownStream = error(ollamaResults, "error_unknown_model_stream");
        JsonNode badBody = error(ollamaResults, "error_bad_body");
        JsonNode unauthorized = error(ollamaResults, "error_unauthorized");

        // then the library shows our message (not "[object Object]")
        assertThat(deleteInProcess.path("status").asInt()).isEqualTo(400);
        assertThat(deleteInProcess.path("message").asText()).contains("tiny", "llama.cpp");
        assertThat(copyInProcess.path("status").asInt()).isEqualTo(400);
        assertThat(copyInProcess.path("message").asText()).contains("tiny");
        assertThat(unknown.path("status").asInt()).isEqualTo(404);
        assertThat(unknown.path("message").asText()).contains("no-such-model");
        assertThat(unknownStream.path("message").asText()).contains("no-such-model");
        assertThat(badBody.path("status").asInt()).isEqualTo(400);
        assertThat(badBody.path("message").asText()).contains("messages");
        assertThat(unauthorized.path("status").asInt()).isEqualTo(401);
        assertThat(unauthorized.path("message").asText()).contains("token");
    }
}
