package dev.jerry.model.api;

import dev.jerry.kit.api.InferenceRequest;
import dev.jerry.kit.api.InferenceResponse;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.http.StreamWriter;
import dev.jerry.kit.json.Json;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.inference.Inference;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/inference}: Jerry's own API, used by the other services; SSE {@code delta} events then {@code done}. */
public final class InferenceRoutes implements Feature {
    private static final Logger log = LoggerFactory.getLogger(InferenceRoutes.class);

    private final Inference inference;
    private final ImageBodies bodies;

    public InferenceRoutes(Inference inference, ImageBodies bodies) {
        this.inference = inference;
        this.bodies = bodies;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/inference", this::infer);
    }

    private void infer(Context ctx) throws IOException {
        InferenceRequest request = Json.readRequest(ctx.body(), InferenceRequest.class);
        bodies.check(ctx, request.messages());
        long start = System.nanoTime();
        if (!request.streaming()) {
            Inference.Outcome outcome = inference.chat(ask(request, ctx), text -> {}, Queueing.headers(ctx));
            CacheHeader.report(ctx, outcome);
            ctx.json(response(outcome, start));
            return;
        }
        inference.admit(ask(request, ctx)); // unknown model, prompt over the context, full queue: before the stream
        StreamWriter stream = StreamWriter.sse(ctx);
        try {
            Inference.Outcome outcome = inference.chat(
                    ask(request, ctx),
                    text -> stream.event("delta", Map.of("text", text)),
                    (position, eta) -> stream.event("queue", Map.of("position", position, "eta_ms", eta.toMillis())));
            stream.event("done", response(outcome, start));
        } catch (ClientGoneException e) {
            log.info("client left during a streamed inference; generation cancelled");
        } catch (RuntimeException e) {
            log.warn("streamed inference failed: {}", e.getMessage(), e);
            stream.event("error", ServiceApp.errorBodyFor(e, RequestIds.currentOr(ctx)));
        }
    }

    private static Inference.Ask ask(InferenceRequest request, Context ctx) {
        return new Inference.Ask(
                        request.model(), request.messages(), request.maxTokens(), request.temperature(), request.seed())
                .withTopP(request.topP())
                .withCache(!"bypass".equals(request.cache()) && CacheHeader.allows(ctx))
                .withUser(Queueing.user(ctx));
    }

    private static InferenceResponse response(Inference.Outcome outcome, long start) {
        var g = outcome.generation();
        return new InferenceResponse(
                g.text(),
                outcome.model(),
                g.finishReason(),
                new InferenceResponse.Usage(g.promptTokens(), g.completionTokens()),
                outcome.cached(),
                outcome.similarity(),
                outcome.queueMs(),
                (System.nanoTime() - start) / 1_000_000);
    }
}
