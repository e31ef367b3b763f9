package dev.jerry.bench;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.BackendsConfig;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.fleet.Fleet;
import dev.jerry.model.fleet.FleetConfig;
import dev.jerry.model.inference.ModelRouter;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.ollama.OllamaBackend;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.OllamaDouble;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet benchmark (docs/performance.md): requests per second through model-service over one and over two Ollama
 * nodes that each generate one answer at a time with a fixed latency, under the same concurrent load; and the time
 * routing takes to pick a node (p50, p99). Run:
 * {@code java -cp bench/target/bench.jar dev.jerry.bench.FleetBench [REQUESTS [LATENCY_MS [CLIENTS]]]}.
 */
public final class FleetBench {
    private static final String MODEL = "bench:1b";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FleetBench() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Duration latency = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 50);
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Embedder embedder = Embedder.bgeSmall();
        Path dir = Files.createTempDirectory("jerry-fleet-bench-");
        int rounds = 3;
        System.out.printf(
                "throughput (%d requests, %d clients, one slot per node, %d ms per request, best of %d rounds)%n",
                requests, clients, latency.toMillis(), rounds);
        double one = 0;
        double two = 0;
        for (int round = 0; round < rounds; round++) { // alternating, so both see the same machine noise
            double a = throughput(1, requests, latency, clients, embedder, dir);
            double b = throughput(2, requests, latency, clients, embedder, dir);
            System.out.printf("  round %d: one node %6.2f requests/s, two nodes %6.2f requests/s%n", round + 1, a, b);
            one = Math.max(one, a);
            two = Math.max(two, b);
        }
        System.out.printf("  one node   %7.2f requests/s (ideal %.2f)%n", one, 1000.0 / latency.toMillis());
        System.out.printf("  two nodes  %7.2f requests/s  (%.2fx)%n", two, two / one);
        routing(2, embedder, dir);
        routing(16, embedder, dir);
        System.exit(0);
    }

    /** Requests per second of {@code clients} clients asking in a loop until {@code requests} are answered. */
    private static double throughput(
            int nodes, int requests, Duration latency, int clients, Embedder embedder, Path dir) throws Exception {
        List<OllamaDouble> doubles = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            doubles.add(OllamaDouble.start().withModel(MODEL).oneSlot().replyDelay(latency));
        }
        var metrics = new ServiceMetrics("model");
        List<Backend> backends = backends(doubles, metrics);
        ServiceApp app = ModelServiceApp.create(config(dir.resolve("throughput-" + nodes)), metrics, backends, embedder)
                .start();
        URI chat = app.baseUrl().resolve("/api/chat");
        String body =
                "{\"model\":\"" + MODEL + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (int i = 0; i < 30; i++) { // warm-up: JIT, connections
            post(chat, body, "warm-up");
        }
        AtomicInteger left = new AtomicInteger(requests);
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                String user = "user-" + c;
                pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        if (post(chat, body, user) != 200) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        app.stop();
        doubles.forEach(OllamaDouble::close);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
        return requests / seconds;
    }

    /** How long choosing a node takes: ModelRouter.chat (which node holds the model) and place (take its load). */
    private static void routing(int nodes, Embedder embedder, Path dir) {
        List<OllamaDouble> doubles = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            doubles.add(OllamaDouble.start().withModel(MODEL));
        }
        var metrics = new ServiceMetrics("model");
        List<Backend> backends = backends(doubles, metrics);
        Fleet fleet = new Fleet(
                FleetConfig.defaults(dir.resolve("routing-" + nodes)),
                Optional.empty(),
                backends.stream().map(OllamaBackend.class::cast).toList(),
                1,
                metrics);
        ModelRouter router = new ModelRouter(backends, embedder, fleet);
        int rounds = 200_000;
        long[] took = new long[rounds];
        for (int i = -20_000; i < rounds; i++) { // warm-up first
            long t0 = System.nanoTime();
            var route = router.chat(MODEL);
            var placed = router.place(route, "user-" + (i & 63), Set.of(), true).orElseThrow();
            long t1 = System.nanoTime();
            placed.lease().close();
            if (i >= 0) {
                took[i] = t1 - t0;
            }
        }
        Arrays.sort(took);
        System.out.printf(
                "routing over %2d nodes (ModelRouter.chat + place, %d rounds)  p50 %5.2f us  p99 %5.2f us%n",
                nodes, rounds, took[rounds / 2] / 1e3, took[rounds * 99 / 100] / 1e3);
        fleet.close();
        doubles.forEach(OllamaDouble::close);
    }

    private static List<Backend> backends(List<OllamaDouble> doubles, ServiceMetrics metrics) {
        List<URI> urls = doubles.stream().map(OllamaDouble::baseUrl).toList();
        var ollama = new OllamaConfig(
                urls, Optional.empty(), List.of(MODEL), false, Duration.ofMinutes(1), Duration.ofMinutes(1));
        List<Backend> backends = new ArrayList<>();
        for (URI url : urls) {
            OllamaBackend node = new OllamaBackend(url, ollama, metrics);
            node.start();
            backends.add(node);
        }
        return backends;
    }

    /** One slot per node, as the nodes have; a deep queue, so that no request is refused under the load. */
    private static ModelServiceConfig config(Path data) {
        return ModelServiceConfig.builder(ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .queue(new QueueConfig(1, 10_000))
                .defaultMaxTokens(64)
                .localEngine(LlamaServerConfig.defaults(1))
                .fleet(FleetConfig.defaults(data))
                .build();
    }

    private static int post(URI uri, String body, String user) throws Exception {
        HttpResponse<Void> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("X-Jerry-User", user)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }
}
