package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, as a careless client or a probe sends it, against every JSON endpoint of the real service (real
 * llama.cpp, real embedding model): each must get a 4xx that names the field or the limit, and the service must still
 * be alive and answering afterwards. Several of these aborted the JVM inside llama.cpp, or answered 500, before the
 * checks in front of the backends existed.
 */
@ExtendWith(ModelServiceHarness.class)
class RobustnessIT {
    private static ModelServiceHarness.Running service;

    /** One bad request: where it goes, what it sends, the status it must get, a word its error must contain. */
    record Case(String path, String body, int status, String names) {
        @Override
        public String toString() {
            String shown = body.length() > 80 ? body.substring(0, 80) + "..." : body;
            return path + " " + shown + " -> " + status + " naming '" + names + "'";
        }
    }

    private static final List<String> CHAT_PATHS = List.of("/v1/inference", "/v1/chat/completions", "/api/chat");
    private static final List<String> ALL_PATHS = List.of(
            "/v1/inference",
            "/v1/chat/completions",
            "/v1/embeddings",
            "/api/chat",
            "/api/generate",
            "/api/embed",
            "/api/show",
            "/api/pull");

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // bodies that are not a JSON object, on every endpoint
        for (String path : ALL_PATHS) {
            for (String body : List.of("null", "[]", "\"text\"", "42", "{", "", "{\"model\": \"tiny\"} trailing")) {
                cases.add(new Case(path, body, 400, body.isEmpty() ? "empty" : "JSON"));
            }
        }
        // messages every chat dialect must refuse
        for (String path : CHAT_PATHS) {
            boolean ollama = path.startsWith("/api");
            cases.add(new Case(path, chat("[null]", ""), 400, "messages[0]"));
            cases.add(new Case(path, chat("[]", ""), 400, "messages"));
            cases.add(new Case(path, chat("[{\"role\": \"user\", \"content\": null}]", ""), 400, "messages[0]"));
            cases.add(new Case(path, chat("[{\"role\": \"user\", \"content\": \"  \"}]", ""), 400, "messages[0]"));
            cases.add(new Case(path, chat("[{\"role\": \"user\", \"content\": \"a\\u0000b\"}]", ""), 400, "NUL"));
            cases.add(new Case(path, chat("[{\"role\": \"user\", \"content\": \"x\\ud800\"}]", ""), 400, "surrogate"));
            cases.add(new Case(path, chat("[{\"role\": \"wizard\", \"content\": \"hi\"}]", ""), 400, "role"));
            cases.add(new Case(path, chat("[{\"content\": \"hi\"}]", ""), 400, "role"));
            // temperatures that reached llama.cpp's sampler and aborted the JVM, and ones merely out of range
            for (String temperature : List.of("3.5e38", "1e39", "1e400", "-1", "2.5")) {
                cases.add(new Case(
                        path,
                        chat(
                                hi(),
                                ollama
                                        ? ", \"options\": {\"temperature\": " + temperature + "}"
                                        : ", \"temperature\": " + temperature),
                        400,
                        "temperature"));
            }
            // top_p as temperature: finite, above 0, at most 1 (the OpenAI and Ollama dialects have it)
            for (String topP : path.equals("/v1/inference")
                    ? List.<String>of()
                    : List.of("0", "-0.5", "1.5", "1e39", "1e400", "\"all\"")) {
                cases.add(new Case(
                        path,
                        chat(hi(), ollama ? ", \"options\": {\"top_p\": " + topP + "}" : ", \"top_p\": " + topP),
                        400,
                        "top_p"));
            }
            for (String tokens : List.of("0", "-5", "2147483647")) {
                cases.add(new Case(
                        path,
                        chat(
                                hi(),
                                ollama
                                        ? ", \"options\": {\"num_predict\": " + tokens + "}"
                                        : ", \"max_tokens\": " + tokens),
                        400,
                        ollama ? "num_predict" : "max_tokens"));
            }
            cases.add(new Case(
                    path,
                    chat(hi(), ollama ? ", \"options\": {\"temperature\": \"hot\"}" : ", \"temperature\": \"hot\""),
                    400,
                    "temperature"));
        }
        // tool parameter schemas llama.cpp cannot convert (each aborted the JVM in native code)
        for (String path : List.of("/v1/chat/completions", "/api/chat")) {
            for (String schema : List.of(
                    "{\"type\": \"nonsense\"}",
                    "{\"$ref\": \"#/nope\"}",
                    "{\"$ref\": \"#/$defs/Missing\"}",
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": [\"string\", 5]}}}",
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"maxLength\": 100000000}}}",
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"minimum\": \"low\"}}}",
                    "{\"$defs\": {\"Loop\": {\"$ref\": \"#/$defs/Loop\"}}, \"$ref\": \"#/$defs/Loop\"}",
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"array\", \"minItems\": 5, \"maxItems\": 2}}}",
                    "\"a string\"",
                    nested(40))) {
                cases.add(new Case(path, chat(hi(), ", \"tools\": [" + tool(schema) + "]"), 400, "weather"));
            }
        }
        // embeddings
        for (String path : List.of("/v1/embeddings", "/api/embed")) {
            cases.add(new Case(path, "{\"input\": \"\"}", 400, "input"));
            cases.add(new Case(path, "{\"input\": [\"ok\", \" \"]}", 400, "input[1]"));
            cases.add(new Case(path, "{\"input\": [1, 2]}", 400, "input[0]"));
            cases.add(new Case(path, "{\"input\": null}", 400, "input"));
            cases.add(new Case(path, "{\"input\": []}", 400, "input"));
            cases.add(new Case(path, "{\"input\": \"a\\u0000\"}", 400, "input"));
            cases.add(new Case(
                    path, "{\"input\": " + Json.write(java.util.Collections.nCopies(513, "x")) + "}", 413, "512"));
            cases.add(new Case(path, "{\"input\": [\"" + "word ".repeat(40_001) + "\"]}", 413, "200000"));
        }
        cases.add(new Case("/api/generate", "{\"model\": \"tiny\", \"prompt\": \"\"}", 400, "messages[0].content"));
        cases.add(new Case("/api/generate", "{\"model\": \"tiny\"}", 400, "prompt"));
        cases.add(new Case("/api/show", "{}", 400, "model"));
        return cases.stream();
    }

    private static String hi() {
        return "[{\"role\": \"user\", \"content\": \"hi\"}]";
    }

    private static String chat(String messages, String extra) {
        return "{\"model\": \"tiny\", \"stream\": false, \"messages\": " + messages + extra + "}";
    }

    private static String tool(String parameters) {
        return "{\"type\": \"function\", \"function\": {\"name\": \"weather\", \"description\": \"d\", \"parameters\": "
                + parameters + "}}";
    }

    private static String nested(int depth) {
        return "{\"type\": \"object\", \"properties\": {\"a\": ".repeat(depth) + "{\"type\": \"string\"}"
                + "}}".repeat(depth);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void should_refuse_bad_input_with_4xx_naming_the_field(Case bad, ModelServiceHarness.Running running)
            throws Exception {
        service = running;

        // when
        HttpResponse<String> response = Http.post(running.baseUrl(), bad.path(), bad.body(), running.auth());

        // then
        assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(bad.status());
        assertThat(message(response)).as(bad.toString()).contains(bad.names());
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(response.body()).doesNotContain("Exception", "at dev.jerry", "at de.kherud");
    }

    @Test
    void should_refuse_a_streamed_prompt_over_the_context_before_the_stream_starts(ModelServiceHarness.Running running)
            throws Exception {
        String tooLong = "[{\"role\": \"user\", \"content\": \"" + "many words here ".repeat(3000) + "\"}]";
        for (String path : CHAT_PATHS) {
            // when
            HttpResponse<String> response = Http.post(
                    running.baseUrl(),
                    path,
                    "{\"model\": \"tiny\", \"stream\": true, \"messages\": " + tooLong + "}",
                    running.auth());

            // then: the status says it, not an error event after a 200
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(message(response)).as(path).contains("context");
        }
    }

    @Test
    void should_name_the_tool_whose_schema_cannot_be_used_in_the_openai_param(ModelServiceHarness.Running running)
            throws Exception {
        var response = Http.post(
                running.baseUrl(),
                "/v1/chat/completions",
                chat(hi(), ", \"tools\": [" + tool("{\"type\": \"nonsense\"}") + "]"),
                running.auth());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.mapper().readTree(response.body()).path("error");
        assertThat(error.path("param").asText()).startsWith("tools");
        assertThat(error.path("message").asText()).contains("'weather'").contains("nonsense");
    }

    @Test
    void should_serve_a_tool_whose_schema_uses_definitions_and_references(ModelServiceHarness.Running running)
            throws Exception {
        // given: the shape pydantic and zod produce: $defs and local $refs, with a pattern and descriptions
        String schema = """
                {"type": "object", "$defs": {"Place": {"type": "object", "description": "a place",
                  "properties": {"city": {"type": "string", "pattern": "^[A-Z].*$"}, "days": {"type": "integer",
                  "minimum": 1, "maximum": 7}}, "required": ["city"]}},
                 "properties": {"where": {"$ref": "#/$defs/Place"}}, "required": ["where"]}""";

        // when: the grammar is built by llama.cpp from the inlined copy
        var response = Http.post(
                running.baseUrl(),
                "/v1/chat/completions",
                "{\"model\": \"tiny\", \"seed\": 3, \"max_tokens\": 40, \"tool_choice\": \"required\", \"messages\": "
                        + hi() + ", \"tools\": [" + tool(schema) + "]}",
                running.auth());

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.mapper()
                        .readTree(response.body())
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .asText())
                .isIn("tool_calls", "length");
    }

    @Test
    void should_answer_with_top_p_on_the_local_engine_in_every_chat_dialect(ModelServiceHarness.Running running)
            throws Exception {
        for (String path : List.of("/v1/chat/completions", "/api/chat")) {
            boolean ollama = path.startsWith("/api");
            // when
            var response = Http.post(
                    running.baseUrl(),
                    path,
                    "{\"model\": \"tiny\", \"stream\": false, \"seed\": 2, \"max_tokens\": 4, \"messages\": " + hi()
                            + (ollama ? ", \"options\": {\"top_p\": 0.5, \"num_predict\": 4}" : ", \"top_p\": 0.5")
                            + "}",
                    running.auth());

            // then
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void still_alive_and_answering() throws Exception {
        if (service == null) {
            return;
        }
        // then: nothing above hurt the service
        assertThat(Http.get(service.baseUrl(), "/health/live").statusCode()).isEqualTo(200);
        var chat = Http.post(
                service.baseUrl(),
                "/v1/inference",
                "{\"model\": \"tiny\", \"max_tokens\": 2, \"seed\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                service.auth());
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(Json.mapper()
                        .readTree(chat.body())
                        .path("usage")
                        .path("completion_tokens")
                        .asInt())
                .isPositive();
    }

    /** The error message in any of the three shapes: Jerry's and OpenAI's {@code error.message}, Ollama's {@code error}. */
    private static String message(HttpResponse<String> response) throws Exception {
        JsonNode error = Json.mapper().readTree(response.body()).path("error");
        return error.isTextual() ? error.asText() : error.path("message").asText();
    }
}
