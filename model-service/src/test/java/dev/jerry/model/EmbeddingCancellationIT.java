package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.Http;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A caller that gives up on a large embedding request (closes its connection) stops the work behind it: the embedding
 * model is free for the next caller at once instead of embedding hundreds of inputs nobody will read.
 */
@ExtendWith(ModelServiceHarness.class)
class EmbeddingCancellationIT {
    private static final int INPUTS = 512;

    @ParameterizedTest
    @ValueSource(strings = {"/v1/embeddings", "/api/embed"})
    void should_stop_embedding_when_the_client_disconnects(String path, ModelServiceHarness.Running service)
            throws Exception {
        // given: a request as large as allowed (512 inputs of ~60 words), which takes seconds to embed
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            inputs.add(("passage " + i + " about reactors, pumps, valves and the cooling circuit ").repeat(5));
        }
        String body = Json.write(java.util.Map.of("input", inputs));
        double cancelledBefore = cancelled(service);
        long embeddedBefore = ModelServiceHarness.EMBEDDER.embeddedInputs();

        // when: the client sends it, waits until the work has begun, and hangs up
        try (Socket socket =
                new Socket(service.baseUrl().getHost(), service.baseUrl().getPort())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: model\r\nAuthorization: Bearer " + ModelServiceHarness.TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ModelServiceHarness.EMBEDDER.embeddedInputs() > embeddedBefore);
        }

        // then: the request is cancelled with most of its inputs never embedded
        await().atMost(Duration.ofSeconds(30)).until(() -> cancelled(service) == cancelledBefore + 1);
        assertThat(ModelServiceHarness.EMBEDDER.embeddedInputs() - embeddedBefore)
                .as("inputs embedded for the abandoned request")
                .isLessThan(INPUTS);

        // and the next caller is served
        var next = Http.post(service.baseUrl(), path, "{\"input\": [\"the next caller\"]}", service.auth());
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        JsonNode answer = Json.mapper().readTree(next.body());
        assertThat(path.startsWith("/api") ? answer.path("embeddings") : answer.path("data"))
                .hasSize(1);
    }

    private static double cancelled(ModelServiceHarness.Running service) {
        var counter = service.metrics()
                .registry()
                .find(service.metrics().name("embeddings.cancelled"))
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
