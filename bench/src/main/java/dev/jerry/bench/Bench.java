package dev.jerry.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.llama.LlamaCppBackend;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.TinyLlamaGguf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * model-service benchmarks (docs/performance.md): the latency it adds in front of a backend, and llama.cpp's speed
 * through it compared with direct JNI calls on the same model. Run: {@code java -jar bench/target/bench.jar [REQUESTS
 * [overhead|llama]]}.
 */
public final class Bench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Bench() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Embedder embedder = Embedder.bgeSmall();
        String only = args.length > 1 ? args[1] : "all"; // "overhead" or "llama" runs one part
        if (!only.equals("llama")) {
            overhead(requests, embedder);
        }
        if (!only.equals("overhead")) {
            llamaThroughput(embedder);
        }
        System.exit(0); // llama.cpp keeps a native thread
    }

    /** Same request, straight to a fixed-latency Ollama double and through model-service in front of it. */
    private static void overhead(int requests, Embedder embedder) throws Exception {
        try (OllamaDouble ollama = OllamaDouble.start().withModel("bench:1b").replyDelay(Duration.ofMillis(2))) {
            var metrics = new ServiceMetrics("model");
            var config = new OllamaConfig(
                    List.of(ollama.baseUrl()),
                    Optional.empty(),
                    List.of("bench:1b"),
                    false,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(1));
            OllamaBackend node = new OllamaBackend(ollama.baseUrl(), config, metrics);
            node.start();
            ServiceApp app = start(List.of(node), embedder, metrics);
            // model-service streams from Ollama, so both sides ask for the same NDJSON stream
            String body =
                    "{\"model\":\"bench:1b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            URI direct = ollama.baseUrl().resolve("/api/chat");
            URI via = app.baseUrl().resolve("/api/chat");
            for (int i = 0; i < requests / 4; i++) { // warm-up: JIT, connections
                post(direct, body);
                post(via, body);
            }
            long[] directNs = new long[requests];
            long[] viaNs = new long[requests];
            for (int i = 0; i < requests; i++) { // interleaved, so both see the same machine noise
                if (i % 2 == 0) {
                    directNs[i] = post(direct, body);
                    viaNs[i] = post(via, body);
                } else {
                    viaNs[i] = post(via, body);
                    directNs[i] = post(direct, body);
                }
            }
            app.stop();
            Arrays.sort(directNs);
            Arrays.sort(viaNs);
            System.out.printf(
                    "overhead (%d non-streamed requests, backend double with a fixed 2 ms latency)%n", requests);
            System.out.printf(
                    "  direct to backend     p50 %6.2f ms  p99 %6.2f ms%n", ms(p(directNs, 50)), ms(p(directNs, 99)));
            System.out.printf(
                    "  through model-service p50 %6.2f ms  p99 %6.2f ms%n", ms(p(viaNs, 50)), ms(p(viaNs, 99)));
            System.out.printf(
                    "  added                 p50 %6.2f ms  p99 %6.2f ms%n",
                    ms(p(viaNs, 50) - p(directNs, 50)), ms(p(viaNs, 99) - p(directNs, 99)));
        }
    }

    /** Tokens/s of the same generations through /v1/inference and through direct JNI calls. */
    private static void llamaThroughput(Embedder embedder) throws Exception {
        Path dir = Files.createTempDirectory("jerry-bench-");
        Path file = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
        var llama = new LlamaCppConfig(file, "tiny", TinyLlamaGguf.CONTEXT, 1, 0, Duration.ofMinutes(5));
        LlamaCppBackend backend = new LlamaCppBackend(llama);
        ServiceApp app = start(List.of(backend), embedder, new ServiceMetrics("model"));
        int tokens = 1024;
        int rounds = 30;
        String body = Json.write(new dev.jerry.kit.api.InferenceRequest(
                "tiny", List.of(ChatMessage.user("Tell me a long story")), tokens, 0.0, null, 1L, false, null));
        // the same prompt and parameters, straight into llama.cpp
        LlamaModel direct = new LlamaModel(new de.kherud.llama.ModelParameters()
                .setModel(file.toString())
                .setCtxSize(TinyLlamaGguf.CONTEXT)
                .setThreads(1)
                .disableLog());
        String prompt = direct.applyTemplate(new InferenceParameters("")
                .setMessages("", List.of(new de.kherud.llama.Pair<>("user", "Tell me a long story"))));
        URI via = app.baseUrl().resolve("/v1/inference");
        double viaRate = 0;
        double directRate = 0;
        double[] ratios = new double[rounds];
        for (int round = -3; round < rounds; round++) { // 3 warm-up rounds; the order alternates
            double v = 0;
            double d = 0;
            for (int side = 0; side < 2; side++) {
                boolean throughService = (side == 0) == (round % 2 == 0);
                long t0 = System.nanoTime();
                if (throughService) {
                    int generated = Json.mapper()
                            .readTree(postBody(via, body))
                            .path("usage")
                            .path("completion_tokens")
                            .asInt();
                    v = generated / ((System.nanoTime() - t0) / 1e9);
                } else {
                    int count = 0;
                    for (var out : direct.generate(new InferenceParameters(prompt)
                            .setNPredict(tokens)
                            .setTemperature(0)
                            .setSeed(1))) {
                        if (!out.text.isEmpty()) {
                            count++;
                        }
                    }
                    d = count / ((System.nanoTime() - t0) / 1e9);
                }
            }
            if (round >= 0) {
                ratios[round] = v / d;
                viaRate += v / rounds;
                directRate += d / rounds;
            }
        }
        app.stop();
        System.out.printf(
                "llama.cpp on the generated tiny model (%d tokens per answer, %d rounds, 1 thread)%n", tokens, rounds);
        System.out.printf("  direct JNI            %8.0f tokens/s%n", directRate);
        Arrays.sort(ratios);
        System.out.printf(
                "  through model-service %8.0f tokens/s (%.1f %% of direct; median of %d paired rounds"
                        + " %.1f %%, quartiles %.1f-%.1f %%)%n",
                viaRate,
                100 * viaRate / directRate,
                rounds,
                100 * ratios[rounds / 2],
                100 * ratios[rounds / 4],
                100 * ratios[3 * rounds / 4]);
    }

    private static ServiceApp start(List<Backend> backends, Embedder embedder, ServiceMetrics metrics) {
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .defaultMaxTokens(512)
                .build();
        return ModelServiceApp.create(config, metrics, backends, embedder).start();
    }

    private static long post(URI uri, String body) throws Exception {
        long start = System.nanoTime();
        postBody(uri, body);
        return System.nanoTime() - start;
    }

    private static String postBody(URI uri, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
