package dev.jerry.rag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ChromaExtension.class)
class RagServiceReadinessIT {

    private static ServiceApp start(String chromaUrl) {
        var env = Env.of(Map.of("JERRY_RAG_PORT", "0", "JERRY_CHROMA_URL", chromaUrl));
        return RagServiceApp.create(RagServiceConfig.fromEnv(env), new ServiceMetrics("rag"))
                .start();
    }

    @Test
    void should_be_ready_when_the_real_chroma_answers(ChromaServer chroma) {
        ServiceApp app = start(chroma.baseUrl().toString());
        try {
            var ready = Http.get(app.baseUrl(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"chroma\":{\"status\":\"up\"");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_be_not_ready_naming_chroma_when_it_is_down() {
        ServiceApp app = start("http://127.0.0.1:" + Ports.free());
        try {
            var ready = Http.get(app.baseUrl(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("not ready: chroma (chroma is unreachable at");
        } finally {
            app.stop();
        }
    }
}
