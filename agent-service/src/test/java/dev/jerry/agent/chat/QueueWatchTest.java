package dev.jerry.agent.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueWatchTest {

    @Test
    void should_describe_model_service_queue_lines_and_ignore_everything_else() {
        assertThat(QueueWatch.describe("{\"message\":{\"content\":\"\"},\"queue_position\":2,\"queue_eta_ms\":3400}"))
                .isEqualTo("waiting for the model: 2 ahead, about 3 s…");
        assertThat(QueueWatch.describe("{\"queue_position\":0,\"queue_eta_ms\":900}"))
                .isEqualTo("waiting for the model: next in line, about 1 s…");
        assertThat(QueueWatch.describe("{\"queue_position\":0,\"queue_eta_ms\":0}"))
                .isNull();
        assertThat(QueueWatch.describe("{\"message\":{\"content\":\"queue_position\"},\"done\":false}"))
                .isNull();
        assertThat(QueueWatch.describe("not json \"queue_position\"")).isNull();
        assertThat(QueueWatch.describe(null)).isNull();
    }

    @Test
    void should_read_a_cache_hit_from_model_services_last_line_only() {
        assertThat(QueueWatch.cacheHit("{\"message\":{\"content\":\"\"},\"done\":true,\"cached\":true}"))
                .isTrue();
        assertThat(QueueWatch.cacheHit("{\"done\":true,\"cached\":false}")).isFalse();
        assertThat(QueueWatch.cacheHit("{\"message\":{\"content\":\"\\\"cached\\\": true\"},\"done\":false}"))
                .as("the word in the answer's text is no cache hit")
                .isFalse();
        assertThat(QueueWatch.cacheHit("{\"done\":true}")).isFalse();
        assertThat(QueueWatch.cacheHit(null)).isFalse();
    }
}
