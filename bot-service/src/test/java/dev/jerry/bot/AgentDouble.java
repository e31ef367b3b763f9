package dev.jerry.bot;

import dev.jerry.agent.feedback.FeedbackRoutes;
import dev.jerry.agent.feedback.FeedbackStore;
import dev.jerry.agent.limits.LimitRoutes;
import dev.jerry.agent.limits.LimitStore;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.agent.settings.ModelCheck;
import dev.jerry.agent.settings.SettingsRoutes;
import dev.jerry.agent.settings.SettingsStore;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * agent-service for bot tests: {@code POST /v1/chat} with {@code stream:true} answers with a scripted sequence of the
 * real SSE events ({@code status}, {@code delta}, {@code sources}, {@code done}, {@code error}), built from the same
 * records agent-service uses; {@code DELETE /v1/conversations/{id}} is recorded; health endpoints answer. What bot
 * processes share (settings, feedback, request counters) is agent-service's real routes over a SQLite file.
 */
public final class AgentDouble implements AutoCloseable {
    /** One step of a scripted answer. */
    public sealed interface Step {
        record Status(String text) implements Step {}

        record Delta(String text) implements Step {}

        record Pause(long millis) implements Step {}

        /** The final event; {@code turnId}, as agent-service gives it for the feedback buttons, may be null. */
        record Done(List<AgentChatResponse.Source> sources, String turnId) implements Step {
            public Done(List<AgentChatResponse.Source> sources) {
                this(sources, null);
            }
        }

        record Error(String type, String message) implements Step {}

        /** agent-service's error event when model-service is too busy to take the turn. */
        record Busy(String message, long retryAfterSeconds) implements Step {}

        /** Hang up without a final event (the agent died). */
        record Cut() implements Step {}

        /** A plain JSON error answered instead of the stream (only as the first and only step). */
        record Refuse(int status, String type, String message) implements Step {}
    }

    private final Javalin app;
    private final java.nio.file.Path dir;
    private final MemoryStore store;
    private final List<AgentChatRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> forgotten = new CopyOnWriteArrayList<>();
    private volatile Function<AgentChatRequest, List<Step>> script =
            r -> List.of(new Step.Delta("Hello."), new Step.Done(List.of()));

    private AgentDouble() {
        try {
            dir = java.nio.file.Files.createTempDirectory("agent-double");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = new MemoryStore("jdbc:sqlite:" + dir.resolve("agent.db"), "", "").migrate();
        ServiceMetrics metrics = new ServiceMetrics("agent");
        List<Feature> shared = List.of(
                new SettingsRoutes(
                        new SettingsStore(store),
                        new ModelCheck(new UpstreamConfig(
                                        "model-service", URI.create("http://127.0.0.1:9"), java.util.Optional.empty())
                                .client(ClientOptions.defaults().withMaxAttempts(1), metrics)),
                        () -> List.of("docs", "web", "summarize"),
                        "jerry-test"),
                new FeedbackRoutes(new FeedbackStore(store), metrics),
                new LimitRoutes(new LimitStore(store)));
        app = Javalin.create(cfg -> {
            // the real routes answer as in agent-service: Jerry's JSON and error bodies
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(Json.mapper(), true));
            cfg.routes.exception(
                    dev.jerry.kit.error.ServiceException.class,
                    (e, ctx) ->
                            ctx.status(e.status()).json(dev.jerry.kit.http.ServiceApp.errorBodyFor(e, "agent-double")));
            shared.forEach(feature -> feature.routes(cfg.routes));
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
            cfg.routes.get("/health/ready", ctx -> ctx.json(Map.of("status", "ready")));
            cfg.routes.post("/v1/chat", this::chat);
            cfg.routes.delete("/v1/conversations/{id}", ctx -> {
                forgotten.add(ctx.pathParam("id"));
                ctx.status(204);
            });
        });
    }

    public static AgentDouble start() {
        AgentDouble agent = new AgentDouble();
        agent.app.start("127.0.0.1", 0);
        return agent;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    public void script(Function<AgentChatRequest, List<Step>> script) {
        this.script = script;
    }

    public List<AgentChatRequest> requests() {
        return List.copyOf(requests);
    }

    public List<String> forgotten() {
        return List.copyOf(forgotten);
    }

    /** A reply streamed in pieces of {@code size} characters with a pause between them. */
    public static List<Step> streamed(
            String reply, int size, long pauseMillis, List<AgentChatResponse.Source> sources) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < reply.length(); i += size) {
            steps.add(new Step.Delta(reply.substring(i, Math.min(reply.length(), i + size))));
            steps.add(new Step.Pause(pauseMillis));
        }
        steps.add(new Step.Done(sources));
        return steps;
    }

    private void chat(Context ctx) throws IOException, InterruptedException {
        AgentChatRequest request = Json.readRequest(ctx.body(), AgentChatRequest.class);
        requests.add(request);
        List<Step> steps = script.apply(request);
        if (!steps.isEmpty() && steps.getFirst() instanceof Step.Refuse refuse) {
            ctx.status(refuse.status())
                    .json(Map.of(
                            "error", Map.of("type", refuse.type(), "message", refuse.message(), "request_id", "r1")));
            return;
        }
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        StringBuilder reply = new StringBuilder();
        for (Step step : steps) {
            switch (step) {
                case Step.Status s -> event(out, "status", Map.of("text", s.text()));
                case Step.Delta d -> {
                    reply.append(d.text());
                    event(out, "delta", Map.of("text", d.text()));
                }
                case Step.Pause p -> Thread.sleep(p.millis());
                case Step.Done d -> {
                    event(out, "sources", d.sources());
                    event(
                            out,
                            "done",
                            new AgentChatResponse(
                                    reply.toString(),
                                    d.sources(),
                                    d.sources().isEmpty() ? List.of() : List.of("rag_search"),
                                    request.conversationId(),
                                    new AgentChatResponse.Usage(10, reply.length() / 4),
                                    false,
                                    d.turnId(),
                                    d.turnId() == null ? null : "jerry-test"));
                }
                case Step.Error e ->
                    event(
                            out,
                            "error",
                            Map.of("error", Map.of("type", e.type(), "message", e.message(), "request_id", "r1")));
                case Step.Busy b ->
                    event(
                            out,
                            "error",
                            Map.of(
                                    "error",
                                    Map.of(
                                            "type",
                                            "rate_limited",
                                            "message",
                                            b.message(),
                                            "request_id",
                                            "r1",
                                            "retry_after_seconds",
                                            b.retryAfterSeconds())));
                case Step.Refuse r -> throw new IllegalStateException("Refuse must be the only step");
                case Step.Cut c -> {
                    out.flush();
                    ctx.req().getInputStream().close();
                    throw new IOException("cut on purpose");
                }
            }
        }
        out.flush();
    }

    private static void event(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        app.stop();
        store.close();
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }
}
