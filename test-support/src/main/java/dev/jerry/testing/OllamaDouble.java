package dev.jerry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jerry.ollama.ChatChunk;
import dev.jerry.ollama.CopyRequest;
import dev.jerry.ollama.EmbedResponse;
import dev.jerry.ollama.ErrorResponse;
import dev.jerry.ollama.Message;
import dev.jerry.ollama.ModelDetails;
import dev.jerry.ollama.ModelEntry;
import dev.jerry.ollama.ModelList;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.PullProgress;
import dev.jerry.ollama.ToolCall;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Ollama server for tests, speaking Ollama's wire format: {@code /api/tags}, {@code /api/chat} and
 * {@code /api/generate} (NDJSON when streaming, {@code tool_calls} in scripted replies), {@code /api/embed},
 * {@code /api/pull} (a progress stream), {@code /api/show}, {@code /api/ps}, {@code /api/delete}, {@code /api/copy},
 * and Ollama's errors (404 {@code model "x" not found, try
 * pulling it first}). Models are present, pullable, or unknown (a pull fails as in Ollama). For fleet tests it can go
 * offline and come back on the same port, generate one answer at a time, fail its next requests before any token, and
 * have a full disk (pulls fail with Ollama's "no space left on device").
 */
public final class OllamaDouble implements AutoCloseable {
    /** A scripted answer: text, or tool calls (name to arguments). */
    public record Reply(String text, Map<String, Map<String, Object>> toolCalls) {
        public static Reply text(String text) {
            return new Reply(text, Map.of());
        }

        public static Reply toolCall(String name, Map<String, Object> arguments) {
            return new Reply("", Map.of(name, arguments));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** When every model of the double was last changed. */
    public static final Instant MODIFIED = Instant.parse("2026-01-15T10:30:00Z");

    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Set<String> pullable = ConcurrentHashMap.newKeySet();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> capabilities = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, JsonNode>> requests = new CopyOnWriteArrayList<>();
    private volatile Duration pullStepDelay = Duration.ZERO;
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile Duration tokenDelay = Duration.ZERO;
    private volatile String defaultReply;
    private volatile Semaphore slots;
    private volatile String diskError;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger chats = new AtomicInteger();
    private volatile int port;
    private Javalin app;

    private OllamaDouble() {
        app = create();
    }

    private Javalin create() {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            // Ollama reads requests of any size (base64 photos); Javalin's default would refuse over 1 MB
            cfg.http.maxRequestSize = 64L * 1024 * 1024;
            cfg.routes.get("/api/tags", this::tags);
            cfg.routes.get("/api/version", ctx -> ctx.json(Map.of("version", "0.6.5")));
            cfg.routes.post("/api/chat", ctx -> generate(ctx, true));
            cfg.routes.post("/api/generate", ctx -> generate(ctx, false));
            cfg.routes.post("/api/embed", this::embed);
            cfg.routes.post("/api/pull", this::pull);
            cfg.routes.post("/api/show", this::show);
            cfg.routes.get("/api/ps", this::ps);
            cfg.routes.delete("/api/delete", this::delete);
            cfg.routes.post("/api/copy", this::copy);
        });
    }

    public static OllamaDouble start() {
        OllamaDouble ollama = new OllamaDouble();
        ollama.app.start("127.0.0.1", 0);
        ollama.port = ollama.app.port();
        return ollama;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The node goes away: its port refuses connections until {@link #comeOnline}. Its models stay. */
    public synchronized OllamaDouble goOffline() {
        app.stop();
        return this;
    }

    /** The node is back on the same port. */
    public synchronized OllamaDouble comeOnline() {
        app = create();
        app.start("127.0.0.1", port);
        return this;
    }

    /** Generates one answer at a time, as Ollama with {@code OLLAMA_NUM_PARALLEL=1}: others wait for the slot. */
    public OllamaDouble oneSlot() {
        this.slots = new Semaphore(1, true);
        return this;
    }

    /** Its disk is full: every pull stops after its first step with the error Ollama gives when a write fails. */
    public OllamaDouble diskFull() {
        this.diskError = "write /root/.ollama/models/blobs/sha256-partial: no space left on device";
        return this;
    }

    /** The next {@code count} chat or generate requests fail before any token, as when the model runner crashes. */
    public OllamaDouble failNext(int count) {
        failures.set(count);
        return this;
    }

    /** Chat and generate requests received (failed ones included). */
    public int chatCount() {
        return chats.get();
    }

    /** A model that is already present. Names without a tag get {@code :latest}, as in Ollama. */
    public OllamaDouble withModel(String model) {
        present.add(tagged(model));
        return this;
    }

    /** A present model whose {@code /api/show} reports these capabilities (default: completion and tools). */
    public OllamaDouble withModel(String model, List<String> capabilities) {
        this.capabilities.put(tagged(model), List.copyOf(capabilities));
        return withModel(model);
    }

    /** A model that a pull downloads. */
    public OllamaDouble pullable(String model) {
        pullable.add(tagged(model));
        return this;
    }

    /**
     * A present model whose streamed answers break off: its words, then the end of the response without the final
     * {@code done} line, as when a node dies mid-answer.
     */
    public OllamaDouble breaksStreams(String model) {
        present.add(tagged(model));
        broken.add(tagged(model));
        return this;
    }

    /** How long each of a pull's progress steps takes. */
    public OllamaDouble pullStepDelay(Duration delay) {
        this.pullStepDelay = delay;
        return this;
    }

    /** How long a reply takes before its first byte, streamed or not: a backend with a fixed latency. */
    public OllamaDouble replyDelay(Duration delay) {
        this.replyDelay = delay;
        return this;
    }

    /** How long each streamed word takes: a backend that generates at a given speed. */
    public OllamaDouble tokenDelay(Duration delay) {
        this.tokenDelay = delay;
        return this;
    }

    /** The reply when no scripted one is left (otherwise "Hello from MODEL"). */
    public OllamaDouble defaultReply(String text) {
        this.defaultReply = text;
        return this;
    }

    /** Replies given in order to the next chat or generate requests for {@code model}. */
    public OllamaDouble script(String model, Reply... replies) {
        scripts.computeIfAbsent(tagged(model), k -> new ConcurrentLinkedDeque<>())
                .addAll(List.of(replies));
        return this;
    }

    public boolean has(String model) {
        return present.contains(tagged(model));
    }

    /** The images (base64, as Ollama takes them) of every chat message and generate request received, in order. */
    public List<String> images() {
        List<String> images = new java.util.ArrayList<>();
        for (Map.Entry<String, JsonNode> request : requests) {
            request.getValue().path("images").forEach(image -> images.add(image.asText()));
            request.getValue().path("messages").forEach(m -> m.path("images").forEach(i -> images.add(i.asText())));
        }
        return images;
    }

    /** The JSON bodies received on {@code path}, in order. */
    public List<JsonNode> requests(String path) {
        return requests.stream()
                .filter(e -> e.getKey().equals(path))
                .map(Map.Entry::getValue)
                .toList();
    }

    @Override
    public synchronized void close() {
        app.stop();
    }

    private static String tagged(String model) {
        return ModelName.tagged(model);
    }

    private JsonNode body(Context ctx) throws IOException {
        JsonNode body = JSON.readTree(ctx.body());
        requests.add(Map.entry(ctx.path(), body));
        return body;
    }

    private static void notFound(Context ctx, String model) {
        ctx.status(404).json(new ErrorResponse("model \"" + model + "\" not found, try pulling it first"));
    }

    private void tags(Context ctx) {
        ctx.json(new ModelList(present.stream().map(OllamaDouble::entry).toList()));
    }

    /** A model as Ollama lists it: a size, a 64-digit digest and a time that stay the same for the same name. */
    private static ModelEntry entry(String model) {
        return ModelEntry.onDisk(
                model,
                MODIFIED.toString(),
                size(model),
                digest(model),
                ModelDetails.gguf("llama", "1B", "Q4_K_M"),
                null);
    }

    /** What a test's model weighs on this node. */
    public static long size(String model) {
        return 1_000_000L + Math.floorMod(ModelName.tagged(model).hashCode(), 1_000_000);
    }

    /** The digest this node reports for a model. */
    public static String digest(String model) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(ModelName.tagged(model).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every present model is loaded, for five minutes from now (Ollama's default keep-alive). */
    private void ps(Context ctx) {
        ctx.json(new ModelList(present.stream()
                .map(model -> {
                    ModelEntry e = entry(model);
                    return new ModelEntry(
                            e.name(),
                            e.model(),
                            null,
                            e.size(),
                            e.digest(),
                            e.details(),
                            Instant.now().plus(Duration.ofMinutes(5)).toString(),
                            e.size(),
                            null);
                })
                .toList()));
    }

    private void delete(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String model = tagged(body.path("model").asText(body.path("name").asText()));
        if (!present.remove(model)) {
            ctx.status(404).json(new ErrorResponse("model '" + model + "' not found"));
        }
    }

    private void copy(Context ctx) throws IOException {
        CopyRequest body = JSON.treeToValue(body(ctx), CopyRequest.class);
        if (!present.contains(tagged(body.source()))) {
            ctx.status(404).json(new ErrorResponse("model '" + body.source() + "' not found"));
            return;
        }
        present.add(tagged(body.destination()));
    }

    private void generate(Context ctx, boolean chat) throws Exception {
        JsonNode body = body(ctx);
        chats.incrementAndGet();
        String model = tagged(body.path("model").asText());
        if (!present.contains(model)) {
            notFound(ctx, body.path("model").asText());
            return;
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ctx.status(500).json(new ErrorResponse("llama runner process has terminated: exit status 2"));
            return;
        }
        Semaphore slot = slots;
        if (slot == null) {
            answer(ctx, chat, body, model);
            return;
        }
        slot.acquire();
        try {
            answer(ctx, chat, body, model);
        } finally {
            slot.release();
        }
    }

    private void answer(Context ctx, boolean chat, JsonNode body, String model) throws Exception {
        Deque<Reply> script = scripts.get(model);
        Reply reply = script == null || script.isEmpty()
                ? Reply.text(defaultReply != null ? defaultReply : "Hello from " + model)
                : script.poll();
        boolean stream = !body.path("stream").isBoolean() || body.path("stream").asBoolean();
        int promptCount = body.toString().length() / 4;
        Thread.sleep(replyDelay);
        if (!stream) {
            ctx.json(chunk(model, chat, reply.text(), reply, true, promptCount));
            return;
        }
        ctx.res().setContentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        for (String word : reply.text().split("(?<= )")) {
            if (word.isEmpty()) {
                continue;
            }
            line(out, chunk(model, chat, word, null, false, 0));
            if (!tokenDelay.isZero()) {
                Thread.sleep(tokenDelay);
            }
        }
        if (broken.contains(model)) {
            return;
        }
        if (!reply.toolCalls().isEmpty()) {
            line(out, chunk(model, chat, "", reply, false, 0));
        }
        line(out, chunk(model, chat, "", null, true, promptCount));
    }

    private static ChatChunk chunk(String model, boolean chat, String text, Reply calls, boolean done, int prompt) {
        List<ToolCall> toolCalls = null;
        if (calls != null && !calls.toolCalls().isEmpty()) {
            toolCalls = calls.toolCalls().entrySet().stream()
                    .map(call -> new ToolCall(
                            null, new ToolCall.Function(null, call.getKey(), JSON.valueToTree(call.getValue()))))
                    .toList();
        }
        Message message = chat ? new Message("assistant", text, toolCalls, null) : null;
        return new ChatChunk(
                model,
                Instant.now().toString(),
                message,
                chat ? null : text,
                done,
                done ? "stop" : null,
                done ? 1_000_000L : null,
                null,
                done ? prompt : null,
                null,
                done ? (text.isEmpty() ? 1 : text.split(" ").length) : null,
                null,
                null,
                null,
                null,
                null);
    }

    private static void line(OutputStream out, Object line) throws IOException {
        out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void embed(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String model = tagged(body.path("model").asText());
        if (!present.contains(model)) {
            notFound(ctx, body.path("model").asText());
            return;
        }
        List<String> inputs = new ArrayList<>();
        if (body.path("input").isArray()) {
            body.path("input").forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(body.path("input").asText());
        }
        List<float[]> vectors = inputs.stream().map(OllamaDouble::vector).toList();
        ctx.json(new EmbedResponse(model, vectors, null));
    }

    /** A deterministic 8-dimensional unit vector from the text. */
    private static float[] vector(String text) {
        float[] v = new float[8];
        for (int i = 0; i < text.length(); i++) {
            v[i % 8] += text.charAt(i);
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < 8; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private void pull(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        String name = body.path("model").asText(body.path("name").asText());
        String model = tagged(name);
        ctx.res().setContentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        line(out, PullProgress.status("pulling manifest"));
        if (!present.contains(model) && !pullable.contains(model)) {
            line(out, PullProgress.failure("pull model manifest: file does not exist"));
            return;
        }
        long total = 4_000_000;
        String digest = digest(model);
        if (diskError != null && !present.contains(model)) {
            line(out, new PullProgress("pulling " + digest.substring(0, 12), "sha256:" + digest, total, 0L, null));
            line(out, PullProgress.failure(diskError));
            return;
        }
        for (long done = 0; done <= total && !present.contains(model); done += 1_000_000) {
            Thread.sleep(pullStepDelay);
            line(out, new PullProgress("pulling " + digest.substring(0, 12), "sha256:" + digest, total, done, null));
        }
        line(out, PullProgress.status("verifying sha256 digest"));
        line(out, PullProgress.status("writing manifest"));
        present.add(model);
        line(out, PullProgress.status(PullProgress.SUCCESS));
    }

    private void show(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String model = tagged(body.path("model").asText(body.path("name").asText()));
        if (!present.contains(model)) {
            notFound(ctx, model);
            return;
        }
        ctx.json(Map.of(
                "details", Map.of("format", "gguf", "family", "llama"),
                "model_info", Map.of("general.architecture", "llama", "llama.context_length", 8192),
                "capabilities", capabilities.getOrDefault(model, List.of("completion", "tools"))));
    }
}
