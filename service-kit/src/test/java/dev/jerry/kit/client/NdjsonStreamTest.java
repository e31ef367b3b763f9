package dev.jerry.kit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NdjsonStreamTest {
    private static InputStream text(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_read_each_line_as_json_and_skip_blank_ones_when_the_stream_ends() {
        // given
        InputStream body = text("{\"n\":1}\n\n{\"n\":2}\n");

        // when
        try (NdjsonStream lines = new NdjsonStream("node", body, Duration.ofSeconds(5), null, () -> {})) {
            // then
            assertThat(lines.next()).map(n -> n.path("n").asInt()).hasValue(1);
            assertThat(lines.next()).map(n -> n.path("n").asInt()).hasValue(2);
            assertThat(lines.next()).isEmpty();
        }
    }

    @Test
    void should_time_out_and_count_it_when_the_upstream_stays_silent() throws IOException {
        // given a body that never sends anything
        PipedOutputStream silent = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(silent);
        AtomicInteger timeouts = new AtomicInteger();

        // when / then
        try (NdjsonStream lines = new NdjsonStream(
                        "node", body, Duration.ofMillis(100), Duration.ofSeconds(5), timeouts::incrementAndGet);
                silent) {
            assertThatThrownBy(lines::next)
                    .isInstanceOf(UpstreamException.Timeout.class)
                    .hasMessageContaining("sent nothing for 100 ms");
        }
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void should_time_out_when_the_whole_stream_takes_longer_than_its_deadline() throws Exception {
        // given a body that keeps talking, a line every 20 ms, with a deadline of 200 ms
        PipedOutputStream talking = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(talking);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    talking.write("{}\n".getBytes(StandardCharsets.UTF_8));
                    talking.flush();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException ignored) {
                // the reader hung up
            }
        });

        // when / then
        try (NdjsonStream lines =
                new NdjsonStream("node", body, Duration.ofSeconds(5), Duration.ofMillis(200), () -> {})) {
            assertThatThrownBy(() -> {
                        while (lines.next().isPresent()) {
                            // keep reading
                        }
                    })
                    .isInstanceOf(UpstreamException.Timeout.class)
                    .hasMessageContaining("did not finish within 200 ms");
        } finally {
            writer.interrupt();
        }
    }

    @Test
    void should_break_the_stream_with_a_clear_error_when_a_line_is_not_json() {
        // given
        InputStream body = text("{\"n\":1}\nnot json\n");

        // when
        try (NdjsonStream lines = new NdjsonStream("node", body, Duration.ofSeconds(5), null, () -> {})) {
            JsonNode first = lines.next().orElseThrow();

            // then
            assertThat(first.path("n").asInt()).isEqualTo(1);
            assertThatThrownBy(lines::next)
                    .isInstanceOf(UpstreamException.Unavailable.class)
                    .hasMessageContaining("not JSON");
        }
    }
}
