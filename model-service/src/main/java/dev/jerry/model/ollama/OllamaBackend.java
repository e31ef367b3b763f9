package dev.jerry.model.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.NdjsonStream;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolCall;
import dev.jerry.model.backend.ToolSpec;
import dev.jerry.ollama.ChatChunk;
import dev.jerry.ollama.ChatRequest;
import dev.jerry.ollama.CopyRequest;
import dev.jerry.ollama.Message;
import dev.jerry.ollama.ModelDetails;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.ModelRequest;
import dev.jerry.ollama.Options;
import dev.jerry.ollama.PullProgress;
import dev.jerry.ollama.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ollama node over its HTTP API: chat (streamed NDJSON, tool calls), the models it has ({@code /api/tags}), and
 * pulls of the models it lacks. A model it lacks is pulled on request; meanwhile callers get 503 with the progress.
 * It also carries what Ollama's model API forwards to a node (files, loaded models, delete, copy, a relayed pull):
 * one class per node keeps the node's list of present models in one place, which is why it is longer than most.
 */
public final class OllamaBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(OllamaBackend.class);
    private static final Duration RETRY_AFTER_DOWNLOAD = Duration.ofSeconds(10);
    private static final Duration PULL_FAILS_FAST = Duration.ofMillis(1500);
    private static final Duration PULL_POLL = Duration.ofMillis(200);

    private final String name;
    private final URI url;
    private final OllamaConfig config;
    private final ServiceClient client;
    private final PullTracker pulls;
    private final NodeCapabilities capabilities;
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    /** What the node last said about its models in {@code /api/tags}, by tagged name. */
    private final Map<String, ModelEntry> listed = new ConcurrentHashMap<>();

    public OllamaBackend(URI url, OllamaConfig config, ServiceMetrics metrics) {
        this("ollama@" + url.getHost() + ":" + (url.getPort() < 0 ? 11434 : url.getPort()), url, config, metrics);
    }

    /** A node with a name of its own (one registered through {@code POST /v1/nodes}). */
    public OllamaBackend(String name, URI url, OllamaConfig config, ServiceMetrics metrics) {
        this.name = name;
        this.url = url;
        this.config = config;
        this.client = new ServiceClient(
                name,
                url,
                config.token(),
                ClientOptions.defaults()
                        .withReadTimeout(config.generationTimeout())
                        .withMaxAttempts(2),
                metrics);
        this.pulls = new PullTracker(
                name,
                new ServiceClient(
                        name,
                        url,
                        config.token(),
                        ClientOptions.defaults()
                                .withReadTimeout(config.pullTimeout())
                                .withMaxAttempts(1),
                        metrics),
                config.pullTimeout(),
                metrics);
        this.capabilities = new NodeCapabilities(name, client, java.time.Clock.systemUTC());
    }

    /** As the node's own {@code /api/show} lists them (asked once per model, kept a while). */
    @Override
    public List<String> capabilities(String model) {
        return capabilities.of(tagged(model));
    }

    static String tagged(String model) {
        return ModelName.tagged(model);
    }

    @Override
    public ModelService describe() {
        Set<String> models = new LinkedHashSet<>();
        config.requiredModels().forEach(m -> models.add(display(m)));
        present.forEach(m -> models.add(display(m)));
        return new ModelService(name, ModelService.Kind.OLLAMA, List.copyOf(models), 0);
    }

    private static String display(String model) {
        return ModelName.display(model);
    }

    @Override
    public boolean serves(String model) {
        return present.contains(tagged(model));
    }

    /** A required model, or with auto-pull any model: a pull is started when it is asked for. */
    @Override
    public boolean canProvide(String model) {
        return config.autoPull()
                || config.requiredModels().stream().anyMatch(m -> tagged(m).equals(tagged(model)));
    }

    /** Refreshes the list of present models; at start-up, pulls the required ones that are missing. */
    public void start() {
        try {
            refresh();
        } catch (UpstreamException e) {
            log.warn(
                    "{} is not reachable at start-up ({}); required models will be checked when it is",
                    name,
                    e.getMessage());
            return;
        }
        for (String model : config.requiredModels()) {
            if (!present.contains(tagged(model))) {
                if (config.autoPull()) {
                    pulls.start(tagged(model), present::add);
                } else {
                    log.warn("{} lacks the required model {} and JERRY_OLLAMA_AUTO_PULL is off", name, model);
                }
            }
        }
    }

    public URI url() {
        return url;
    }

    /**
     * Asks the node for its models ({@code /api/tags}): the fleet's health check.
     *
     * @throws UpstreamException when the node does not answer or answers badly
     */
    public void check() {
        refresh();
    }

    /** The HTTP client of this node, for its other APIs (embeddings). */
    public ServiceClient client() {
        return client;
    }

    /** Starts pulling a model that is not a chat model (an embedding model) if the node lacks it. */
    public void pullIfMissing(String model) {
        if (config.autoPull() && !present.contains(tagged(model))) {
            pulls.start(tagged(model), present::add);
        }
    }

    private void refresh() {
        ModelList tags = client.get("/api/tags", ModelList.class);
        Set<String> now = new LinkedHashSet<>();
        for (ModelEntry entry : tags.models()) {
            String model = tagged(entry.name());
            now.add(model);
            listed.put(model, entry);
        }
        listed.keySet().retainAll(now);
        present.retainAll(now);
        present.addAll(now);
    }

    /** The node's own account of its models: size, digest and modification time as it lists them. */
    @Override
    public List<ModelFile> files() {
        try {
            refresh();
        } catch (UpstreamException e) {
            log.debug("{} did not list its models: {}", name, e.getMessage());
        }
        return listed.values().stream().map(OllamaBackend::file).toList();
    }

    /** The node's words when its last pull failed because its disk is full; empty once a pull succeeds. */
    public Optional<String> outOfDisk() {
        return pulls.outOfDisk();
    }

    /** The models the node listed when it was last asked, without asking it again. */
    public List<ModelFile> lastListed() {
        return listed.values().stream()
                .map(OllamaBackend::file)
                .sorted(java.util.Comparator.comparing(ModelFile::name))
                .toList();
    }

    /** What the node has loaded now ({@code /api/ps}), with when it unloads each. */
    @Override
    public List<ModelFile> loaded() {
        return client.get("/api/ps", ModelList.class).models().stream()
                .map(OllamaBackend::file)
                .toList();
    }

    private static ModelFile file(ModelEntry entry) {
        ModelDetails details = entry.details() == null ? ModelDetails.gguf(null, null, null) : entry.details();
        return new ModelFile(
                display(entry.name()),
                entry.size(),
                entry.digest(),
                instant(entry.modifiedAt()),
                details.family(),
                details.parameterSize(),
                details.quantizationLevel(),
                instant(entry.expiresAt()),
                entry.sizeVram());
    }

    private static Instant instant(String time) {
        try {
            return time == null ? null : OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Receives the progress of a pull; an {@link IOException} means the client went away (the pull goes on). */
    @FunctionalInterface
    public interface PullSink {
        void accept(PullProgress progress) throws IOException;
    }

    /**
     * Pulls {@code model} onto the node (or joins the pull that runs), telling {@code sink} each change of its progress
     * until it ends, and returns how it ended. An explicit pull is made even with JERRY_OLLAMA_AUTO_PULL off.
     */
    public PullProgress pull(String model, PullSink sink) throws IOException {
        String tagged = tagged(model);
        if (present.contains(tagged)) {
            sink.accept(PullProgress.status(PullProgress.SUCCESS));
            return PullProgress.status(PullProgress.SUCCESS);
        }
        pulls.start(tagged, present::add);
        PullTracker.Progress last = null;
        while (true) {
            PullTracker.Progress now = pulls.progress(tagged).orElseThrow();
            if (!now.equals(last)) {
                sink.accept(wire(tagged, now));
                last = now;
            }
            if (now.done()) {
                return wire(tagged, now);
            }
            sleep(PULL_POLL);
        }
    }

    private PullProgress wire(String model, PullTracker.Progress progress) {
        if (progress.error() != null) {
            return PullProgress.failure(
                    "model '" + display(model) + "' could not be pulled on " + name + ": " + progress.error());
        }
        if (progress.total() <= 0) {
            return PullProgress.status(progress.status());
        }
        return new PullProgress(progress.status(), null, progress.total(), progress.completed(), null);
    }

    /** Deletes the model from the node's disk. */
    public void delete(String model) {
        client.send("DELETE", "/api/delete", ModelRequest.of(tagged(model), false), Map.of());
        present.remove(tagged(model));
        listed.remove(tagged(model));
        capabilities.forget(tagged(model));
    }

    /** Copies a model on the node under another name. */
    public void copy(String source, String destination) {
        client.send("POST", "/api/copy", new CopyRequest(tagged(source), tagged(destination)), Map.of());
        present.add(tagged(destination));
        capabilities.forget(tagged(destination));
    }

    @Override
    public void provide(String model) {
        String tagged = tagged(model);
        if (!present.contains(tagged)) {
            awaitOrStartPull(tagged);
        }
    }

    @Override
    public Generation chat(dev.jerry.model.backend.ChatRequest request, TokenSink sink) {
        String model = tagged(request.model());
        if (!present.contains(model)) {
            awaitOrStartPull(model);
        }
        long start = System.nanoTime();
        InputStream body;
        try {
            body = client.openStream("POST", "/api/chat", body(request, model), Map.of());
        } catch (UpstreamException.BadResponse e) {
            if (e.upstreamStatus() == 404) {
                present.remove(model);
                awaitOrStartPull(model);
            }
            throw e;
        }
        // as long as the whole answer may take, both silent and in total
        Duration limit = config.generationTimeout();
        try (NdjsonStream lines = new NdjsonStream(name, body, limit, limit, () -> {})) {
            return read(lines, sink, start);
        } catch (UpstreamException.Timeout e) {
            throw new UpstreamException.Timeout(
                    name, "generation took longer than " + limit.toSeconds() + " s (JERRY_GENERATION_TIMEOUT)", e);
        }
    }

    private Generation read(NdjsonStream lines, TokenSink sink, long start) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        long firstToken = 0;
        Optional<JsonNode> line;
        while ((line = lines.next()).isPresent()) {
            if (line.get().hasNonNull("error")) {
                throw new UpstreamException.BadResponse(
                        name,
                        200,
                        name + " failed mid-answer: " + line.get().path("error").asText(),
                        null);
            }
            ChatChunk chunk = Json.mapper().convertValue(line.get(), ChatChunk.class);
            Message message = chunk.message() == null ? Message.of("assistant", "") : chunk.message();
            String piece = message.content() == null ? "" : message.content();
            if (!piece.isEmpty()) {
                if (firstToken == 0) {
                    firstToken = System.nanoTime() - start;
                }
                text.append(piece);
                try {
                    sink.accept(piece);
                } catch (IOException clientGone) {
                    lines.close(); // hanging up tells Ollama to stop generating
                    throw new ClientGoneException(clientGone);
                }
            }
            if (message.toolCalls() != null) {
                for (var call : message.toolCalls()) {
                    calls.add(new ToolCall(
                            "call_" + RequestIds.generate(),
                            call.function().name(),
                            call.function().arguments() == null
                                    ? Json.mapper().createObjectNode()
                                    : call.function().arguments()));
                }
            }
            if (chunk.done()) {
                return new Generation(
                        text.toString(),
                        calls.isEmpty() ? Objects.requireNonNullElse(chunk.doneReason(), "stop") : "tool_calls",
                        Objects.requireNonNullElse(chunk.promptEvalCount(), 0),
                        Objects.requireNonNullElse(chunk.evalCount(), 0),
                        firstToken,
                        System.nanoTime() - start,
                        calls);
            }
        }
        throw new UpstreamException.BadResponse(name, 200, name + " ended the answer without 'done'", null);
    }

    private static ChatRequest body(dev.jerry.model.backend.ChatRequest request, String model) {
        return new ChatRequest(
                model,
                request.messages().stream()
                        .map(m -> new Message(
                                m.role(), m.content(), null, null, m.images().isEmpty() ? null : m.images()))
                        .toList(),
                request.usesTools()
                        ? request.tools().stream().map(OllamaBackend::tool).toList()
                        : null,
                request.format(),
                new Options(
                        request.temperature(),
                        Math.floorMod(request.seed(), (long) Integer.MAX_VALUE),
                        request.maxTokens(),
                        request.topP(),
                        null),
                true);
    }

    private static Tool tool(ToolSpec spec) {
        return Tool.function(
                spec.name(),
                spec.description(),
                spec.parameters() == null ? Json.mapper().createObjectNode().put("type", "object") : spec.parameters());
    }

    /**
     * The model is not on this node: answer 503 with the download's progress, starting the pull if none runs; a
     * pull that fails at once (an unknown model) becomes 404.
     */
    private void awaitOrStartPull(String model) {
        var progress = pulls.progress(model);
        if (progress.isEmpty() || progress.get().done() && progress.get().error() != null) {
            if (!config.autoPull()) {
                throw new ServiceException.NotFound(
                        "model '" + display(model) + "' is not on " + name + " and JERRY_OLLAMA_AUTO_PULL is off");
            }
            pulls.start(model, present::add);
            long deadline = System.nanoTime() + PULL_FAILS_FAST.toNanos();
            while (System.nanoTime() < deadline) {
                var now = pulls.progress(model).orElseThrow();
                if (now.done() || now.total() > 0) {
                    break;
                }
                sleep(Duration.ofMillis(50));
            }
            progress = pulls.progress(model);
        }
        var now = progress.orElseThrow();
        if (now.unreachable()) {
            throw new UpstreamException.Unavailable(name, name + " is unreachable: " + now.error(), null);
        }
        if (now.done() && now.error() == null) {
            present.add(model);
            return;
        }
        if (now.error() != null && DiskFull.in(now.error())) {
            throw new ServiceException.InsufficientStorage("model '" + display(model) + "' cannot be pulled on node "
                    + name + ": the node is out of disk (" + now.error() + ")");
        }
        if (now.error() != null) {
            throw new ServiceException.NotFound(
                    "model '" + display(model) + "' is not available on " + name + ": " + now.describe());
        }
        throw new UpstreamException.Busy(
                name,
                "model '" + display(model) + "' is downloading on " + name + ": " + now.describe()
                        + "; try again shortly",
                RETRY_AFTER_DOWNLOAD);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reachable, required models present or missing, pulls in progress, and one generated token. */
    @Override
    public HealthCheck.Result probe() {
        refresh();
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> missing = config.requiredModels().stream()
                .filter(m -> !present.contains(tagged(m)))
                .toList();
        details.put("reachable", true);
        details.put(
                "models_present",
                present.stream().map(OllamaBackend::display).sorted().toList());
        details.put("models_missing", missing);
        details.put("token_configured", config.token().isPresent());
        Map<String, String> pulling = new LinkedHashMap<>();
        pulls.all().forEach((model, p) -> pulling.put(display(model), p.describe()));
        details.put("pulls", pulling);
        if (!missing.isEmpty()) {
            return new HealthCheck.Result.Down("required models missing: " + String.join(", ", missing), details);
        }
        if (!config.requiredModels().isEmpty()) {
            String model = tagged(config.requiredModels().getFirst());
            client.post(
                    "/api/generate",
                    Map.of("model", model, "prompt", "hi", "stream", false, "options", Map.of("num_predict", 1)),
                    Map.class);
            details.put("generation_probe", "ok");
        }
        return HealthCheck.Result.up(details);
    }
}
