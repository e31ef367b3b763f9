package dev.jerry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.api.InferenceRequest;
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
import dev.jerry.model.llamaserver.LlamaServerBackend;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.testing.LlamaServerBinaries;
import dev.jerry.testing.Ports;
import dev.jerry.testing.TinyLlamaGguf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The same GGUF, the same threads, in one run: through model-service (its llama-server child), directly through an
 * upstream llama-server started with the same flags, optionally through the old in-process binding, and through
 * {@code llama-bench} when it was built. Prompt and generation speed are measured the same way on every HTTP path: a
 * streamed answer, time to first token for the prompt, the rest for generation. Then prompt-cache reuse: the second
 * turn of a conversation against a cold prompt of the same length.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar dev.jerry.bench.LlamaServerBench
 * [GGUF|tiny] [THREADS] [PROMPT_TOKENS] [GENERATED_TOKENS] [ROUNDS] [jni]}.
 */
public final class LlamaServerBench {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LlamaServerBench() {}

    /** One measured answer. */
    record Run(int promptTokens, int generatedTokens, double ttftSeconds, double totalSeconds, String text) {
        double promptRate() {
            return promptTokens / ttftSeconds;
        }

        double generationRate() {
            return (generatedTokens - 1) / (totalSeconds - ttftSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jerry-llama-bench-");
        String modelArg = args.length > 0 ? args[0] : "tiny";
        Path model = modelArg.equals("tiny") ? TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7) : Path.of(modelArg);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int promptWords = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int generate = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        boolean jni = args.length > 5 && args[5].equals("jni");
        int context = 4096;
        Path binary = LlamaServerBinaries.find()
                .orElseThrow(() -> new IllegalStateException(
                        "no llama-server: set JERRY_LLAMA_SERVER or run scripts/build-llama-server.sh"));
        System.out.printf(
                "model %s, %d threads, ~%d-word prompts, %d generated tokens, %d rounds, llama-server %s%n",
                model.getFileName(), threads, promptWords, generate, rounds, binary);

        var config = new LlamaCppConfig(model, "bench", context, threads, 0, Duration.ofMinutes(30));
        var engine =
                new LlamaServerConfig(LlamaServerConfig.Engine.SERVER, Optional.of(binary), dir.resolve("data"), 1, "");
        var metrics = new ServiceMetrics("model");
        LlamaServerBackend child = new LlamaServerBackend(config, engine, metrics)
                .start(() -> binary)
                .awaitReady(Duration.ofMinutes(10));
        ServiceApp service = start(child, metrics);
        Direct direct = Direct.start(binary, model, context, threads, dir.resolve("direct"));
        ServiceApp jniService = jni ? start(new LlamaCppBackend(config), new ServiceMetrics("model")) : null;
        try {
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            runs.put("upstream llama-server", new ArrayList<>());
            runs.put("model-service (llama-server)", new ArrayList<>());
            if (jni) {
                runs.put("model-service (jni, old)", new ArrayList<>());
            }
            Random random = new Random(1);
            for (int round = -1; round < rounds; round++) { // one warm-up round; the order alternates
                List<String> order = new ArrayList<>(runs.keySet());
                if (round % 2 != 0) {
                    java.util.Collections.reverse(order);
                }
                for (String path : order) {
                    // a fresh prompt every time: no side profits from a cached prefix
                    String prompt = words(random, promptWords);
                    Run run = switch (path) {
                        case "upstream llama-server" -> direct.ask(List.of(ChatMessage.user(prompt)), generate);
                        case "model-service (llama-server)" ->
                            viaService(service, List.of(ChatMessage.user(prompt)), generate);
                        default -> viaService(jniService, List.of(ChatMessage.user(prompt)), generate);
                    };
                    if (round >= 0) {
                        runs.get(path).add(run);
                    }
                }
            }
            System.out.printf("%-30s %12s %12s %10s%n", "", "prompt t/s", "gen t/s", "tokens");
            Map<String, double[]> medians = new LinkedHashMap<>();
            runs.forEach((path, list) -> {
                double prompt =
                        median(list.stream().mapToDouble(Run::promptRate).toArray());
                double gen =
                        median(list.stream().mapToDouble(Run::generationRate).toArray());
                medians.put(path, new double[] {prompt, gen});
                System.out.printf(
                        "%-30s %12.1f %12.1f %5d+%-4d%n",
                        path,
                        prompt,
                        gen,
                        list.getFirst().promptTokens(),
                        list.getFirst().generatedTokens());
            });
            double[] up = medians.get("upstream llama-server");
            double[] via = medians.get("model-service (llama-server)");
            System.out.printf(
                    "model-service / upstream: prompt %.3f, generation %.3f (medians of %d rounds)%n",
                    via[0] / up[0], via[1] / up[1], rounds);
            llamaBench(model, threads, promptWords, generate);
            promptCache(service, random, promptWords, generate);
        } finally {
            if (jniService != null) {
                jniService.stop();
            }
            direct.close();
            service.stop();
            child.close();
        }
        System.exit(0);
    }

    /** Turn 2 of a conversation reuses turn 1's prompt in the slot's KV cache; a cold prompt of the same size does not. */
    private static void promptCache(ServiceApp service, Random random, int promptWords, int generate) throws Exception {
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        int promptTokens = 0;
        for (int i = 0; i < 3; i++) {
            List<ChatMessage> conversation = new ArrayList<>(List.of(
                    ChatMessage.system("You are Jerry. Context:\n" + words(random, promptWords)),
                    ChatMessage.user(words(random, 20))));
            Run first = viaService(service, conversation, generate);
            conversation.add(new ChatMessage("assistant", first.text()));
            conversation.add(ChatMessage.user(words(random, 20)));
            Run second = viaService(service, conversation, 8);
            // the same conversation with a different first word: nothing to reuse
            List<ChatMessage> fresh = new ArrayList<>(conversation);
            fresh.set(0, ChatMessage.system("You are Jerry! Context:\n" + words(random, promptWords)));
            Run coldRun = viaService(service, fresh, 8);
            warm.add(second.ttftSeconds());
            cold.add(coldRun.ttftSeconds());
            promptTokens = second.promptTokens();
            if (first.generatedTokens() == 0) {
                throw new IllegalStateException("turn 1 generated nothing");
            }
        }
        double w = median(warm.stream().mapToDouble(Double::doubleValue).toArray());
        double c = median(cold.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(
                "prompt cache, turn 2 of a conversation (%d prompt tokens) through model-service: first token after"
                        + " %.0f ms, a cold prompt of the same size %.0f ms (%.1fx faster)%n",
                promptTokens, w * 1000, c * 1000, c / w);
    }

    /** Streams an answer from /v1/inference: first delta = prompt done, done event = usage. */
    static Run viaService(ServiceApp service, List<ChatMessage> messages, int generate) throws Exception {
        String body = Json.write(new InferenceRequest("bench", messages, generate, 0.0, null, 1L, true, "bypass"));
        HttpRequest request = HttpRequest.newBuilder(service.baseUrl().resolve("/v1/inference"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        long first = 0;
        JsonNode done = null;
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "";
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if (event.equals("delta") && first == 0) {
                        first = System.nanoTime();
                    } else if (event.equals("done")) {
                        done = Json.mapper().readTree(line.substring(6));
                    } else if (event.equals("error")) {
                        throw new IllegalStateException("model-service failed: " + line);
                    }
                }
            }
        }
        long end = System.nanoTime();
        if (done == null) {
            throw new IllegalStateException("no done event from model-service");
        }
        return new Run(
                done.path("usage").path("prompt_tokens").asInt(),
                done.path("usage").path("completion_tokens").asInt(),
                (first - start) / 1e9,
                (end - start) / 1e9,
                done.path("text").asText());
    }

    private static ServiceApp start(Backend backend, ServiceMetrics metrics) {
        var config = ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.none())
                .defaultMaxTokens(512)
                .build();
        return ModelServiceApp.create(config, metrics, List.of(backend), Embedder.bgeSmall())
                .start();
    }

    /** Upstream llama-server as a user would run it, with the flags model-service gives its child. */
    private record Direct(Process process, URI base) implements AutoCloseable {
        static Direct start(Path binary, Path model, int context, int threads, Path dir) throws Exception {
            Files.createDirectories(dir);
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(
                            binary.toString(),
                            "--model",
                            model.toString(),
                            "--alias",
                            "bench",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--ctx-size",
                            Integer.toString(context),
                            "--parallel",
                            "1",
                            "--threads",
                            Integer.toString(threads),
                            "--n-gpu-layers",
                            "0",
                            "--jinja",
                            "--no-webui")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("llama-server.log").toFile());
            builder.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
            Process process = builder.start();
            URI base = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (true) {
                try {
                    if (HTTP.send(
                                            HttpRequest.newBuilder(base.resolve("/health"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return new Direct(process, base);
                    }
                } catch (java.io.IOException notYet) {
                    // loading
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the direct llama-server did not start; see " + dir);
                }
                Thread.sleep(100);
            }
        }

        /** A streamed /v1/chat/completions, measured as model-service's. */
        Run ask(List<ChatMessage> messages, int generate) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", "bench");
            body.put(
                    "messages",
                    messages.stream()
                            .map(m -> Map.of("role", m.role(), "content", m.content()))
                            .toList());
            body.put("max_tokens", generate);
            body.put("temperature", 0.0);
            body.put("seed", 1);
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build();
            long start = System.nanoTime();
            long first = 0;
            JsonNode usage = null;
            HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                        continue;
                    }
                    JsonNode chunk = Json.mapper().readTree(line.substring(6));
                    if (first == 0
                            && !chunk.path("choices")
                                    .path(0)
                                    .path("delta")
                                    .path("content")
                                    .asText("")
                                    .isEmpty()) {
                        first = System.nanoTime();
                    }
                    if (chunk.path("usage").isObject()) {
                        usage = chunk.path("usage");
                    }
                }
            }
            long end = System.nanoTime();
            if (usage == null) {
                throw new IllegalStateException("no usage from llama-server");
            }
            return new Run(
                    usage.path("prompt_tokens").asInt(),
                    usage.path("completion_tokens").asInt(),
                    (first - start) / 1e9,
                    (end - start) / 1e9,
                    "");
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** {@code llama-bench} on the same file and threads, when Jerry's build has it. */
    private static void llamaBench(Path model, int threads, int promptTokens, int generate) throws Exception {
        Path tool = LlamaServerBinaries.cached("llama-bench");
        if (!Files.isExecutable(tool)) {
            System.out.println(
                    "llama-bench: not built (JERRY_LLAMA_TARGETS=\"llama-bench llama-quantize\" scripts/build-llama-server.sh)");
            return;
        }
        Process process = new ProcessBuilder(
                        tool.toString(),
                        "-m",
                        model.toString(),
                        "-t",
                        Integer.toString(threads),
                        "-p",
                        Integer.toString(promptTokens),
                        "-n",
                        Integer.toString(generate),
                        "-r",
                        "3",
                        "-o",
                        "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        JsonNode results = Json.mapper().readTree(process.getInputStream());
        process.waitFor();
        for (JsonNode result : results) {
            System.out.printf(
                    "llama-bench %s: %.1f t/s%n",
                    result.path("n_prompt").asInt() > 0
                            ? "pp" + result.path("n_prompt").asInt()
                            : "tg" + result.path("n_gen").asInt(),
                    result.path("avg_ts").asDouble());
        }
    }

    /** Random words: about one token each for real tokenizers. */
    private static String words(Random random, int count) {
        String[] pool = {
            "river", "stone", "cloud", "engine", "garden", "signal", "window", "paper", "silver", "market", "forest",
            "number", "letter", "bridge", "winter", "candle", "planet", "mirror", "harbor", "violet"
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(pool[random.nextInt(pool.length)]).append(i % 12 == 11 ? ". " : " ");
        }
        return text.toString().strip();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
