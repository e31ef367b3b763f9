package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.http.ApiFamily;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import dev.jerry.ollama.ChatChunk;
import dev.jerry.ollama.EmbedRequest;
import dev.jerry.ollama.EmbedResponse;
import dev.jerry.ollama.LegacyEmbeddingRequest;
import dev.jerry.ollama.LegacyEmbeddingResponse;
import dev.jerry.ollama.Message;
import dev.jerry.ollama.ModelName;
import dev.jerry.ollama.Options;
import dev.jerry.ollama.ToolCall;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ollama API's answering part: {@code /api/chat}, {@code /api/generate}, {@code /api/embed} and the older
 * {@code /api/embeddings} ({@link OllamaModelRoutes} has the models). Streams are NDJSON; as in Ollama, {@code stream}
 * defaults to true, and a failure mid-stream ends it with an {@code {"error": ...}} line. Every {@code /api/*} error
 * has Ollama's shape (ServiceApp answers by API family).
 */
public final class OllamaRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(OllamaRoutes.class);

    record ChatBody(
            String model, List<JsonNode> messages, Options options, Boolean stream, JsonNode tools, JsonNode format) {}

    record GenerateBody(
            String model,
            String prompt,
            String system,
            Options options,
            Boolean stream,
            JsonNode format,
            JsonNode images) {}

    private final Inference inference;
    private final ImageBodies bodies;

    public OllamaRoutes(Inference inference, ImageBodies bodies) {
        this.inference = inference;
        this.bodies = bodies;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/api/chat", ctx -> {
            ChatBody body = Json.readRequest(ctx.body(), ChatBody.class);
            Options o = options(body.options());
            List<ChatMessage> messages = Messages.parse(body.messages());
            bodies.check(ctx, messages);
            respond(
                    ctx,
                    new Inference.Ask(
                                    body.model(),
                                    messages,
                                    o.numPredict(),
                                    o.temperature(),
                                    o.seed(),
                                    Messages.tools(body.tools()),
                                    ToolChoice.AUTO,
                                    true)
                            .withFormat(ResponseFormats.ollama(body.format()))
                            .withTopP(o.topP()),
                    body.stream(),
                    false);
        });
        routes.post("/api/generate", ctx -> {
            GenerateBody body = Json.readRequest(ctx.body(), GenerateBody.class);
            if (body.prompt() == null) {
                throw new BadRequestResponse("field 'prompt' is required");
            }
            List<ChatMessage> messages = new ArrayList<>();
            if (body.system() != null && !body.system().isBlank()) {
                messages.add(ChatMessage.system(body.system()));
            }
            messages.add(new ChatMessage("user", body.prompt(), Images.ollama(body.images(), "images")));
            bodies.check(ctx, messages);
            Options o = options(body.options());
            respond(
                    ctx,
                    new Inference.Ask(body.model(), messages, o.numPredict(), o.temperature(), o.seed())
                            .withFormat(ResponseFormats.ollama(body.format()))
                            .withTopP(o.topP()),
                    body.stream(),
                    true);
        });
        routes.post("/api/embed", this::embed);
        routes.post("/api/embeddings", this::legacyEmbedding);
    }

    private static Options options(Options options) {
        if (options == null) {
            return Options.NONE;
        }
        // Ollama's num_predict -1 (no limit) and -2 (fill the context) mean the service's default here
        Integer numPredict = options.numPredict();
        return numPredict != null && (numPredict == -1 || numPredict == -2)
                ? new Options(options.temperature(), options.seed(), null, options.topP(), options.topK())
                : options;
    }

    private void respond(Context ctx, Inference.Ask request, Boolean stream, boolean generate) throws IOException {
        Inference.Ask ask = request.withCache(CacheHeader.allows(ctx)).withUser(Queueing.user(ctx));
        if (!Boolean.FALSE.equals(stream)) {
            String name = inference.admit(ask).model(); // unknown model, too long, queue full: before the stream
            StreamWriter out = StreamWriter.ndjson(ctx);
            TokenSink sink = text -> out.line(
                    generate
                            ? ChatChunk.piece(tagged(name), now(), null, text)
                            : ChatChunk.piece(tagged(name), now(), Message.of("assistant", text), null));
            try {
                Inference.Outcome outcome = inference.chat(
                        ask,
                        sink,
                        (position, eta) -> out.line(new ChatChunk(
                                tagged(name),
                                now(),
                                Message.of("assistant", ""),
                                null,
                                false,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                position,
                                eta.toMillis())));
                Generation g = outcome.generation();
                if (!g.toolCalls().isEmpty()) {
                    out.line(ChatChunk.piece(
                            tagged(name),
                            now(),
                            new Message("assistant", "", Messages.ollamaCalls(g.toolCalls()), null),
                            null));
                }
                out.line(
                        generate
                                ? last(name, null, "", g, outcome)
                                : last(name, Message.of("assistant", ""), null, g, outcome));
            } catch (ClientGoneException e) {
                log.info("client left during a streamed {}; generation cancelled", generate ? "generate" : "chat");
            } catch (RuntimeException e) {
                log.warn("streamed Ollama request failed: {}", e.getMessage());
                out.line(ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx), ApiFamily.OLLAMA));
            }
            return;
        }
        Inference.Outcome outcome = inference.chat(ask, TokenSink.NONE, Queueing.headers(ctx));
        CacheHeader.report(ctx, outcome);
        Generation g = outcome.generation();
        List<ToolCall> calls = g.toolCalls().isEmpty() ? null : Messages.ollamaCalls(g.toolCalls());
        ctx.json(
                generate
                        ? last(outcome.model(), null, g.text(), g, outcome)
                        : last(outcome.model(), new Message("assistant", g.text(), calls, null), null, g, outcome));
    }

    private static String now() {
        return Instant.now().toString();
    }

    /** The line that ends an answer: the reason, the counts and the durations in nanoseconds. */
    private static ChatChunk last(
            String model, Message message, String response, Generation g, Inference.Outcome outcome) {
        return new ChatChunk(
                tagged(model),
                now(),
                message,
                response,
                true,
                g.finishReason(),
                g.totalNanos(),
                0L,
                g.promptTokens(),
                g.timeToFirstTokenNanos(),
                g.completionTokens(),
                g.totalNanos() - g.timeToFirstTokenNanos(),
                outcome.cached(),
                outcome.similarity(),
                null,
                null);
    }

    private void embed(Context ctx) {
        EmbedRequest body = Json.readRequest(ctx.body(), EmbedRequest.class);
        Embedder embedder = inference.router().embedding(body.model());
        List<String> inputs = Inputs.texts(body.input(), "input");
        long start = System.nanoTime();
        WatchedEmbedding.embed(ctx, embedder, inputs, inference.metrics())
                .ifPresent(vectors ->
                        ctx.json(new EmbedResponse(tagged(embedder.id()), vectors, System.nanoTime() - start)));
    }

    private void legacyEmbedding(Context ctx) {
        LegacyEmbeddingRequest body = Json.readRequest(ctx.body(), LegacyEmbeddingRequest.class);
        if (body.prompt() == null) {
            throw new BadRequestResponse("field 'prompt' is required");
        }
        Embedder embedder = inference.router().embedding(body.model());
        WatchedEmbedding.embed(ctx, embedder, List.of(body.prompt()), inference.metrics())
                .ifPresent(vectors -> ctx.json(new LegacyEmbeddingResponse(vectors.getFirst())));
    }

    static String tagged(String model) {
        return ModelName.tagged(model);
    }
}
