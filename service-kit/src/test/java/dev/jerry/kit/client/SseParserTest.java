package dev.jerry.kit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parse(String text) throws Exception {
        SseParser parser = new SseParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        List<SseEvent> events = new ArrayList<>();
        Optional<SseEvent> event;
        while ((event = parser.next()).isPresent()) {
            events.add(event.get());
        }
        return events;
    }

    @Test
    void should_join_data_lines_default_the_event_name_and_skip_comments() throws Exception {
        var events = parse(": hello\r\ndata: a\r\ndata:b\r\nid: 7\r\n\r\nevent: done\ndata: {}\n\n");

        assertThat(events).containsExactly(new SseEvent("message", "a\nb", "7"), new SseEvent("done", "{}", null));
    }

    @Test
    void should_drop_an_event_without_data_and_an_unterminated_last_event() throws Exception {
        var events = parse("event: ping\n\ndata: kept\n\ndata: cut off");

        assertThat(events).containsExactly(new SseEvent("message", "kept", null));
    }
}
