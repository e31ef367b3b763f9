package dev.jerry.model.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.json.Json;
import org.junit.jupiter.api.Test;

class ToolSchemaTest {
    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void should_inline_references_and_drop_what_llama_cpp_might_trip_on_for_the_grammar() throws Exception {
        // given
        JsonNode schema = json("""
                {"type": "object", "$defs": {"Place": {"type": "object", "description": "a place",
                  "properties": {"city": {"type": "string", "pattern": "^(?=x).*$", "format": "hostname"}}}},
                 "properties": {"where": {"$ref": "#/$defs/Place"}, "when": {"type": "string", "format": "date"}}}""");

        // when
        ToolSchema.check("weather", schema);
        JsonNode grammar = ToolSchema.forGrammar(schema);

        // then
        assertThat(grammar.has("$defs")).isFalse();
        assertThat(grammar.path("properties").path("where").path("properties").path("city"))
                .isEqualTo(json("{\"type\": \"string\"}"));
        assertThat(grammar.path("properties").path("when").path("format").asText())
                .isEqualTo("date");
        assertThat(grammar.toString()).doesNotContain("$ref", "description", "pattern", "hostname");
    }

    @Test
    void should_name_the_tool_and_the_place_in_its_schema_when_refusing() throws Exception {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {\"days\": {\"type\": \"nonsense\"}}}");

        assertThatThrownBy(() -> ToolSchema.check("weather", schema))
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("'weather'")
                .hasMessageContaining("parameters.properties.days.type")
                .hasMessageContaining("nonsense");
    }

    @Test
    void should_refuse_references_outside_the_tools_own_definitions_and_recursive_ones() throws Exception {
        assertThatThrownBy(() -> ToolSchema.check("t", json("{\"$ref\": \"https://example.com/s.json\"}")))
                .hasMessageContaining("reference");
        assertThatThrownBy(() -> ToolSchema.check(
                        "t",
                        json("{\"$defs\": {\"A\": {\"items\": {\"$ref\": \"#/$defs/A\"}}}, \"$ref\": \"#/$defs/A\"}")))
                .hasMessageContaining("recursive");
    }

    @Test
    void should_accept_a_missing_or_empty_schema() throws Exception {
        ToolSchema.check("t", null);
        ToolSchema.check("t", json("{}"));
        assertThat(ToolSchema.forGrammar(json("{}"))).isEmpty();
    }
}
