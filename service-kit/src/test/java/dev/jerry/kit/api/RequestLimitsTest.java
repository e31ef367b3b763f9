package dev.jerry.kit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.json.Json;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
    @Test
    void should_refuse_a_search_with_thousands_of_tag_filters_naming_the_limit() {
        // given: 5,000 tags, which Chroma answered with an error (a 502 to the caller)
        String body = Json.write(Map.of("query", "vpn", "filter", Map.of("tags", Collections.nCopies(5000, "t"))));

        // when / then
        assertThatThrownBy(() -> Json.readRequest(body, SearchRequest.class))
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("filter.tags")
                .hasMessageContaining(String.valueOf(SearchRequest.MAX_TAGS));
    }

    @Test
    void should_accept_a_search_with_a_few_tags() {
        SearchRequest request = Json.readRequest(
                Json.write(Map.of("query", "vpn", "filter", Map.of("tags", java.util.List.of("it", "howto")))),
                SearchRequest.class);

        assertThat(request.filter().tags()).containsExactly("it", "howto");
    }

    @Test
    void should_refuse_an_inference_with_a_null_message_naming_it() {
        assertThatThrownBy(() -> Json.readRequest("{\"messages\": [null]}", InferenceRequest.class))
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("messages[0]");
    }

    @Test
    void should_refuse_an_infinite_temperature() {
        // 1e400 reads as Infinity
        assertThatThrownBy(() -> Json.readRequest(
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 1e400}",
                        InferenceRequest.class))
                .isInstanceOf(ServiceException.BadInput.class)
                .hasMessageContaining("temperature");
    }
}
