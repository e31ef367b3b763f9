package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.download.DownloadException;
import dev.jerry.model.download.InsufficientStorageException;
import dev.jerry.model.download.ModelDownloader;
import dev.jerry.model.download.Preset;
import dev.jerry.model.download.PresetConfig;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.llama.PresetBackend;
import dev.jerry.testing.Http;
import dev.jerry.testing.TinyLlamaGguf;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model downloader and presets against a local HTTP server that speaks ranges, cuts and lies about sizes. */
class ModelDownloadIT {
    private static final byte[] MODEL = TinyLlamaGguf.bytes(21);
    private static final String SHA256 = sha256(MODEL);

    private HttpServer server;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private volatile int cutAfter = -1;
    private volatile long claimedLength = -1;
    private volatile long pausePerChunkMs = 0;

    @TempDir
    Path dir;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiny.gguf", this::file);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tiny.gguf");
    }

    private void file(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
        if (claimedLength > 0) {
            exchange.sendResponseHeaders(200, claimedLength);
            exchange.getResponseBody().flush(); // the headers go out; the body never comes
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (range != null) {
            exchange.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + (MODEL.length - 1) + "/" + MODEL.length);
        }
        exchange.sendResponseHeaders(range == null ? 200 : 206, MODEL.length - from);
        try (OutputStream out = exchange.getResponseBody()) {
            int limit = cutAfter >= 0 ? cutAfter : MODEL.length;
            cutAfter = -1;
            for (int at = from; at < limit; at += 16_384) {
                out.write(MODEL, at, Math.min(16_384, limit - at));
                out.flush();
                Thread.sleep(pausePerChunkMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    private static ModelDownloader downloader() {
        return new ModelDownloader(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void should_resume_a_download_cut_off_midway_and_verify_it() throws Exception {
        Path target = dir.resolve("tiny.gguf");
        cutAfter = 200_000;

        assertThatThrownBy(() -> downloader().download(url(), target, Optional.of(SHA256), p -> {}))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("the next attempt resumes it");
        long partial = Files.size(dir.resolve("tiny.gguf.part"));
        assertThat(partial).isBetween(1L, 200_000L);

        Path file = downloader().download(url(), target, Optional.of(SHA256), p -> {});

        assertThat(ranges).containsExactly("null", "bytes=" + partial + "-");
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(SHA256);
        assertThat(dir.resolve("tiny.gguf.part")).doesNotExist();
    }

    @Test
    void should_reject_and_remove_a_download_whose_checksum_does_not_match() {
        Path target = dir.resolve("tiny.gguf");
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> downloader().download(url(), target, Optional.of(wrong), p -> {}))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("removed");
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("tiny.gguf.part")).doesNotExist();
    }

    @Test
    void should_refuse_a_file_larger_than_the_free_disk_with_507() {
        claimedLength = 1L << 52; // 4.5 PB

        assertThatThrownBy(() -> downloader().download(url(), dir.resolve("huge.gguf"), Optional.of(SHA256), p -> {}))
                .isInstanceOfSatisfying(
                        InsufficientStorageException.class,
                        e -> assertThat(e.status()).isEqualTo(507))
                .hasMessageContaining("not enough disk space")
                .hasMessageContaining("JERRY_MODELS_DIR");
        assertThat(dir.resolve("huge.gguf.part")).doesNotExist();
    }

    @Test
    void should_not_download_a_file_that_is_already_there_and_verified() throws Exception {
        Path target = Files.write(dir.resolve("tiny.gguf"), MODEL);

        downloader().download(url(), target, Optional.of(SHA256), p -> {});

        assertThat(ranges).isEmpty();
    }

    @Test
    void should_answer_503_while_the_preset_downloads_then_serve_it_and_507_without_disk() throws Exception {
        pausePerChunkMs = 60;
        Preset preset = new Preset(
                "tiny-preset",
                "tiny-preset.gguf",
                url(),
                SHA256,
                (long) MODEL.length,
                "test",
                TinyLlamaGguf.CONTEXT,
                0,
                "tiny");
        PresetBackend backend = new PresetBackend(
                        new PresetConfig(preset, dir, SHA256, 1, Duration.ofMinutes(1)), downloader())
                .start();
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .defaultMaxTokens(16)
                .build();
        ServiceApp app = ModelServiceApp.create(
                        config, new ServiceMetrics("model"), List.of(backend), Embedder.bgeSmall())
                .start();
        String chat = "{\"model\":\"tiny-preset\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try {
            var downloading = Http.post(app.baseUrl(), "/v1/inference", chat);
            assertThat(downloading.statusCode()).isEqualTo(503);
            assertThat(downloading.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(Http.errorMessage(downloading)).startsWith("model 'tiny-preset' is downloading: ");

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Http.get(app.baseUrl(), "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            var served = Http.post(app.baseUrl(), "/v1/inference", chat);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(served.body()).path("model").asText())
                    .isEqualTo("tiny-preset");
        } finally {
            app.stop();
        }

        // a preset that cannot fit on the disk answers 507 naming the directory to free
        claimedLength = 1L << 52;
        PresetBackend tooBig = new PresetBackend(
                        new PresetConfig(
                                new Preset("huge", "huge.gguf", url(), SHA256, null, "test", 512, 0, "huge"),
                                dir,
                                SHA256,
                                1,
                                Duration.ofMinutes(1)),
                        downloader())
                .start();
        ServiceApp small = ModelServiceApp.create(
                        config, new ServiceMetrics("model"), List.of(tooBig), Embedder.bgeSmall())
                .start();
        try {
            var response = Http.post(small.baseUrl(), "/v1/inference", chat.replace("tiny-preset", "huge"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (response.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                response = Http.post(small.baseUrl(), "/v1/inference", chat.replace("tiny-preset", "huge"));
            }
            assertThat(response.statusCode()).isEqualTo(507);
            assertThat(Http.errorType(response)).isEqualTo("insufficient_storage");
        } finally {
            small.stop();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
