package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compose file's Chroma image follows the Chroma the tests run against: the server of the pinned package in
 * {@code configs/chroma}, asked for its version.
 */
@ExtendWith(ChromaExtension.class)
class ChromaImageIT {
    @Test
    void should_run_the_chroma_version_the_tests_run_against(ChromaServer chroma) throws Exception {
        // given
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(chroma.baseUrl().resolve("/api/v2/version"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String version = response.body().strip().replace("\"", "");

        // when
        String image = ComposeFile.load().service("chroma").image().orElseThrow();

        // then
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(image).isEqualTo("docker.io/chromadb/chroma:" + version);
    }
}
