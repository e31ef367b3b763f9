package dev.jerry.model.llamaserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.llama.GgufDescription;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.llama.ToolGrammar;
import dev.jerry.model.openai.OpenAiBackend;
import dev.jerry.model.openai.OpenAiConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GGUF file served by upstream {@code llama-server}, a child process of model-service, spoken to over its
 * OpenAI-compatible API. A supervisor thread starts the child, waits for its health, and restarts it with backoff when
 * it ends; the requests it was answering fail with a 503 that says why, and readiness shows the last stop. Native
 * failures of llama.cpp end the child, never this JVM.
 */
public final class LlamaServerBackend implements Backend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LlamaServerBackend.class);
    /** The same name as the in-process engine: queues, metrics and dashboards see one llama.cpp backend. */
    public static final String NAME = "llama.cpp";

    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A child that ran this long before it stopped restarts without waiting. */
    static final Duration STABLE = Duration.ofMinutes(1);

    /** llama-server's words for a prompt over a slot's context (HTTP 400, or an error event in a stream). */
    private static final Pattern CONTEXT_EXCEEDED = Pattern.compile(
            "(?:request|input) \\((\\d+) tokens\\) (?:exceeds|is larger than) the (?:available|max) context size"
                    + " \\((\\d+) tokens\\)");

    /** llama-server's words when the constrained output did not close before max_tokens. */
    private static final String UNCLOSED_JSON = "does not match the expected";

    /** Where the binary comes from; may build it, which takes minutes once. */
    @FunctionalInterface
    public interface BinarySource {
        Path get() throws IOException;
    }

    private sealed interface State {
        record Preparing(String what) implements State {}

        record Running(LlamaServerChild child, OpenAiBackend api, Instant since) implements State {}

        record Restarting(String reason, int attempt) implements State {}

        record Failed(String reason) implements State {}

        record Closed() implements State {}
    }

    /** Why the child last stopped, and when: readiness keeps saying it after the restart. */
    private record Stop(String reason, Instant at) {}

    private final LlamaCppConfig model;
    private final int slots;
    private final Path workDir;
    private final ServiceMetrics metrics;
    private final AtomicReference<State> state =
            new AtomicReference<>(new State.Preparing("finding the llama-server binary"));
    private final AtomicReference<Stop> lastStop = new AtomicReference<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile Thread supervisor;
    private final GgufDescription file;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LlamaServerBackend(LlamaCppConfig model, LlamaServerConfig config, ServiceMetrics metrics) {
        this.model = model;
        this.file = new GgufDescription(model);
        this.slots = config.slots();
        this.workDir = config.dataDir().resolve("llama-server").resolve(safe(model.modelName()));
        this.metrics = metrics;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Finds (or builds) the binary and runs the child, on a supervisor thread; returns at once. */
    public LlamaServerBackend start(BinarySource binary) {
        supervisor = Thread.ofPlatform()
                .daemon()
                .name("llama-server-supervisor-" + model.modelName())
                .start(() -> supervise(binary));
        return this;
    }

    /** Waits until the child answers or start-up failed (tests, benches). */
    public LlamaServerBackend awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            switch (state.get()) {
                case State.Running running -> {
                    return this;
                }
                case State.Failed failed -> throw new IllegalStateException(failed.reason());
                default -> sleep(Duration.ofMillis(50));
            }
        }
        throw new IllegalStateException("llama-server not ready within " + timeout + ": " + describe(state.get()));
    }

    private void supervise(BinarySource source) {
        Path binary;
        try {
            binary = source.get();
        } catch (IOException | RuntimeException e) {
            log.error("llama-server for '{}' cannot run: {}", model.modelName(), e.getMessage());
            state.set(new State.Failed("no llama-server: " + e.getMessage()));
            return;
        }
        int attempt = 0;
        while (!(state.get() instanceof State.Closed)) {
            LlamaServerChild child = null;
            String reason;
            Instant started = Instant.now();
            try {
                if (!swap(preparing(attempt))) {
                    return;
                }
                child = LlamaServerChild.start(binary, model, slots, workDir);
                child.awaitHealthy(START_TIMEOUT);
                started = Instant.now();
                OpenAiBackend api = new OpenAiBackend(
                        NAME,
                        new OpenAiConfig(
                                child.baseUrl().resolve("/v1"),
                                Optional.of(child.apiKey()),
                                List.of(model.modelName()),
                                model.generationTimeout()),
                        metrics);
                if (!swap(new State.Running(child, api, started))) {
                    child.close();
                    return;
                }
                log.info(
                        "llama-server for '{}' ready: pid {}, port {}, {} slot(s), context {}, {} thread(s)",
                        model.modelName(),
                        child.pid(),
                        child.port(),
                        slots,
                        model.contextTokens(),
                        model.threads());
                reason = child.awaitExit();
            } catch (IOException e) {
                reason = e.getMessage();
                if (child != null) {
                    child.close();
                }
            } catch (InterruptedException e) {
                if (child != null) {
                    child.close();
                }
                return;
            }
            if (state.get() instanceof State.Closed) {
                return;
            }
            lastStop.set(new Stop(reason, Instant.now()));
            restarts.incrementAndGet();
            metrics.counter(
                            "llama_server.restarts",
                            "Restarts of a llama-server child after it stopped",
                            "model",
                            model.modelName())
                    .increment();
            attempt = Duration.between(started, Instant.now()).compareTo(STABLE) > 0 ? 0 : attempt + 1;
            Duration backoff = backoff(attempt);
            log.warn(
                    "llama-server for '{}' stopped: {}; restarting in {} ms",
                    model.modelName(),
                    reason,
                    backoff.toMillis());
            if (!swap(new State.Restarting(reason, attempt))) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private State preparing(int attempt) {
        Stop stop = lastStop.get();
        return stop == null
                ? new State.Preparing("starting llama-server for '" + model.modelName() + "'")
                : new State.Restarting(stop.reason(), attempt);
    }

    /** Sets the state unless the backend was closed meanwhile. */
    private boolean swap(State next) {
        State current;
        do {
            current = state.get();
            if (current instanceof State.Closed) {
                return false;
            }
        } while (!state.compareAndSet(current, next));
        return true;
    }

    /** 0 s after a stable run, then 1, 2, 4 ... up to 30 s while it keeps failing. */
    static Duration backoff(int attempt) {
        if (attempt == 0) {
            return Duration.ZERO;
        }
        long seconds = 1L << Math.min(attempt - 1, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    @Override
    public ModelService describe() {
        return new ModelService(NAME, ModelService.Kind.LLAMA_CPP, List.of(model.modelName()), model.contextTokens());
    }

    /** The GGUF file: its size, SHA-256 (computed once), modification time and architecture. */
    @Override
    public List<ModelFile> files() {
        return file.files();
    }

    /** The child holds the model for as long as it runs. */
    @Override
    public List<ModelFile> loaded() {
        return state.get() instanceof State.Running ? file.loaded() : List.of();
    }

    /**
     * Refuses a prompt that cannot fit one slot's context before it takes a place in the queue (and before a stream
     * starts): the child renders it with the model's template and counts its tokens. When the child cannot be asked,
     * the request goes on and {@link #chat} says what happened.
     */
    @Override
    public void admit(ChatRequest request) {
        if (!(state.get() instanceof State.Running running)) {
            return;
        }
        List<ChatMessage> messages = request.messages();
        if (request.usesTools()) {
            messages = new ArrayList<>(messages);
            messages.addFirst(ChatMessage.system(ToolGrammar.instructions(request.tools(), request.toolChoice())));
        }
        int tokens;
        try {
            String prompt = post(running.child(), "/apply-template", Map.of("messages", messages))
                    .path("prompt")
                    .asText();
            tokens = post(running.child(), "/tokenize", Map.of("content", prompt, "add_special", true))
                    .path("tokens")
                    .size();
        } catch (IOException e) {
            log.debug("could not count the prompt's tokens before the request: {}", e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (tokens >= model.contextTokens()) {
            throw new ServiceException.BadInput(
                    "messages",
                    "the prompt is " + tokens + " tokens; the context of model '" + model.modelName() + "' holds "
                            + model.contextTokens() + " tokens");
        }
    }

    private JsonNode post(LlamaServerChild child, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(child.baseUrl().resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + child.apiKey().value())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("llama-server answered " + response.statusCode() + " on " + path);
        }
        return Json.mapper().readTree(response.body());
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        State current = state.get();
        if (!(current instanceof State.Running running)) {
            throw new UpstreamException.Unavailable(NAME, describe(current), null);
        }
        try {
            if (!request.usesTools()) {
                return running.api().chat(request, sink);
            }
            // as in-process: the output is held to a JSON schema of "call one of these tools" or "answer", which
            // works with any chat template; the raw JSON is not for the client, the call or the answer is
            List<ChatMessage> messages = new ArrayList<>(request.messages());
            messages.addFirst(ChatMessage.system(ToolGrammar.instructions(request.tools(), request.toolChoice())));
            ChatRequest constrained = new ChatRequest(
                    request.model(),
                    messages,
                    request.maxTokens(),
                    request.temperature(),
                    request.seed(),
                    List.of(),
                    ToolChoice.AUTO,
                    null,
                    request.topP());
            long start = System.nanoTime();
            try {
                Generation raw = running.api()
                        .chat(
                                constrained,
                                TokenSink.NONE,
                                Map.of("json_schema", ToolGrammar.schema(request.tools(), request.toolChoice())));
                return ToolGrammar.result(raw, sink);
            } catch (UpstreamException.BadResponse e) {
                if (!String.valueOf(e.getMessage()).contains(UNCLOSED_JSON)) {
                    throw e;
                }
                // under the schema's grammar the only output that fails llama-server's final parse is JSON cut off
                // by max_tokens: say so rather than invent an ending (as in-process)
                return new Generation("", "length", 0, request.maxTokens(), 0, System.nanoTime() - start);
            }
        } catch (UpstreamException e) {
            Matcher tooLong = CONTEXT_EXCEEDED.matcher(String.valueOf(e.getMessage()));
            if (tooLong.find()) {
                throw new ServiceException.BadInput(
                        "messages",
                        "the prompt is " + tooLong.group(1) + " tokens; the context of model '" + model.modelName()
                                + "' holds " + tooLong.group(2) + " tokens");
            }
            // a broken connection usually means the child died: say so, with its reason, once the exit is seen
            Optional<String> stopped = running.child().awaitExit(Duration.ofSeconds(2));
            if (stopped.isPresent()) {
                throw new UpstreamException.Unavailable(
                        NAME, "the local model stopped: llama-server " + stopped.get() + ", restarting", e);
            }
            throw e;
        }
    }

    private String describe(State current) {
        return switch (current) {
            case State.Preparing preparing -> "the local model is not ready yet: " + preparing.what();
            case State.Running running ->
                "llama-server runs (pid " + running.child().pid() + ")";
            case State.Restarting restarting ->
                "the local model stopped: llama-server " + restarting.reason() + ", restarting";
            case State.Failed failed -> "the local model cannot run: " + failed.reason();
            case State.Closed closed -> "model-service is stopping";
        };
    }

    /** The child's pid while it runs (tests kill it to prove the restart). */
    public Optional<Long> childPid() {
        return state.get() instanceof State.Running running
                ? Optional.of(running.child().pid())
                : Optional.empty();
    }

    /**
     * One greedy token when a slot is free within a second; a child busy generating for others is up as it is. Down,
     * with the reason, while the child is starting, restarting or cannot run.
     */
    @Override
    public HealthCheck.Result probe() {
        State current = state.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model.modelName());
        details.put("engine", "llama-server");
        details.put("restarts", restarts.get());
        Stop stop = lastStop.get();
        if (stop != null) {
            details.put("last_stop", stop.reason());
            details.put("last_stop_at", stop.at().toString());
        }
        if (!(current instanceof State.Running running)) {
            return new HealthCheck.Result.Down(describe(current), details);
        }
        details.put("pid", running.child().pid());
        details.put("slots", slots);
        FutureTask<Generation> oneToken = new FutureTask<>(() -> running.api()
                .chat(new ChatRequest(model.modelName(), List.of(ChatMessage.user("hi")), 1, 0, 1), TokenSink.NONE));
        Thread.ofVirtual().name("llama-server-probe").start(oneToken);
        try {
            Generation g = oneToken.get(1, TimeUnit.SECONDS);
            details.put("generated_tokens", g.completionTokens());
            details.put("probe_ms", g.totalNanos() / 1_000_000);
        } catch (TimeoutException busy) {
            // every slot is generating for someone: that proves as much
            details.put("busy", true);
        } catch (ExecutionException e) {
            return new HealthCheck.Result.Down(
                    "llama-server did not generate: " + e.getCause().getMessage(), details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthCheck.Result.Down("interrupted", details);
        }
        return HealthCheck.Result.up(details);
    }

    /** Stops the child (SIGTERM, then SIGKILL after a few seconds) and the supervisor. */
    @Override
    public void close() {
        State last = state.getAndSet(new State.Closed());
        if (last instanceof State.Running running) {
            running.child().close();
        }
        Thread thread = supervisor;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
