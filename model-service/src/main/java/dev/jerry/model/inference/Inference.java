package dev.jerry.model.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolChoice;
import dev.jerry.model.backend.ToolSchema;
import dev.jerry.model.backend.ToolSpec;
import dev.jerry.model.cache.SemanticCache;
import dev.jerry.model.fleet.Node;
import dev.jerry.model.queue.FairQueue;
import dev.jerry.model.queue.QueueConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a chat generation on the right backend and records what it cost. Every API dialect ends up here. */
public final class Inference {
    private static final Logger log = LoggerFactory.getLogger(Inference.class);
    private final ModelRouter router;
    private final ServiceMetrics metrics;
    private final int defaultMaxTokens;
    private final Optional<String> fallbackModel;
    private final SemanticCache cache;
    private final QueueConfig queueConfig;
    /** One per backend (each fleet node has its own), created when a backend first gets a request. */
    private final Map<String, FairQueue> queues = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * @param cached whether the answer came from the semantic cache
     * @param similarity with a cached answer, how similar the question was to the cached one (1 = the same)
     * @param cacheReason why the cache answered or not: {@code exact}, {@code normalized}, {@code semantic},
     *     {@code miss}, {@code rejected:<difference>}, {@code bypass} or {@code off}
     */
    public record Outcome(
            String model, Generation generation, boolean cached, Double similarity, String cacheReason, long queueMs) {
        public Outcome(String model, Generation generation) {
            this(model, generation, false, null, null, 0);
        }

        Outcome withCacheReason(String reason) {
            return new Outcome(model, generation, cached, similarity, reason, queueMs);
        }
    }

    /**
     * One question to a model, in any dialect.
     *
     * @param seed null draws a random seed
     * @param temperature null means 0.8
     * @param maxTokens null means the service default
     * @param format the JSON schema the answer must follow, or null for free text
     * @param topP nucleus sampling's probability mass, or null for the engine's default
     * @throws ServiceException.BadInput when a parameter is out of range; every dialect builds one of these, so this
     *     is the one place where what reaches a backend (and native code) is checked
     */
    public record Ask(
            String model,
            List<ChatMessage> messages,
            Integer maxTokens,
            Double temperature,
            Long seed,
            List<ToolSpec> tools,
            ToolChoice toolChoice,
            boolean useCache,
            String user,
            JsonNode format,
            Double topP) {
        public Ask {
            messages = AskLimits.messages(messages);
            AskLimits.maxTokens(maxTokens);
            AskLimits.temperature(temperature);
            AskLimits.topP(topP);
            tools = tools == null ? List.of() : List.copyOf(tools);
            toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
            if (format != null && format.isObject()) {
                ToolSchema.check("response_format", format); // it becomes a grammar in native code, like tools
            }
        }

        public Ask(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed) {
            this(model, messages, maxTokens, temperature, seed, List.of(), ToolChoice.AUTO, true, null, null, null);
        }

        public Ask(
                String model,
                List<ChatMessage> messages,
                Integer maxTokens,
                Double temperature,
                Long seed,
                List<ToolSpec> tools,
                ToolChoice toolChoice,
                boolean useCache) {
            this(model, messages, maxTokens, temperature, seed, tools, toolChoice, useCache, null, null, null);
        }

        public Ask withCache(boolean use) {
            return new Ask(model, messages, maxTokens, temperature, seed, tools, toolChoice, use, user, format, topP);
        }

        /** The answer must be JSON following {@code schema}; null leaves it free text. */
        public Ask withFormat(JsonNode schema) {
            return new Ask(
                    model, messages, maxTokens, temperature, seed, tools, toolChoice, useCache, user, schema, topP);
        }

        /** The user whose turn this is in the fair queue (the agent sends it as {@code X-Jerry-User}). */
        public Ask withUser(String who) {
            return new Ask(
                    model, messages, maxTokens, temperature, seed, tools, toolChoice, useCache, who, format, topP);
        }

        /** Nucleus sampling's probability mass; null leaves the engine's default. */
        public Ask withTopP(Double p) {
            return new Ask(model, messages, maxTokens, temperature, seed, tools, toolChoice, useCache, user, format, p);
        }
    }

    /**
     * @param fallbackModel answers instead when the requested model's backend is down or busy
     * @param cache answers repeated questions; see {@link SemanticCache}
     */
    public Inference(
            ModelRouter router,
            ServiceMetrics metrics,
            int defaultMaxTokens,
            Optional<String> fallbackModel,
            SemanticCache cache,
            QueueConfig queue) {
        this.router = router;
        this.metrics = metrics;
        this.defaultMaxTokens = defaultMaxTokens;
        this.fallbackModel = fallbackModel;
        this.cache = cache;
        this.queueConfig = queue;
        for (var backend : router.backends()) {
            queue(backend.describe().name());
        }
    }

    /** The fair queue in front of each backend, by backend name. */
    public Map<String, FairQueue> queues() {
        synchronized (queues) {
            return new LinkedHashMap<>(queues);
        }
    }

    private FairQueue queue(String backend) {
        return queues.computeIfAbsent(
                backend, name -> new FairQueue(name, queueConfig.concurrency(), queueConfig.maxWaiting(), metrics));
    }

    public ModelRouter router() {
        return router;
    }

    /** The service's metrics, for the routes' own counts. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /**
     * Everything that can refuse a request before it runs: an unknown model (404), a prompt over the model's context
     * (400), a full queue (429). A streamed answer calls this before its status line goes out, so that such a request
     * gets its error status instead of a 200 followed by an error event.
     */
    public ModelRouter.Route admit(Ask ask) {
        ModelRouter.Route route = router.chat(ask.model());
        refuseUnreadableImages(route, ask);
        route.backend().admit(request(route, ask));
        queue(route.backend().describe().name()).checkRoom();
        return route;
    }

    public Outcome chat(Ask ask, TokenSink sink) {
        return chat(ask, sink, FairQueue.Listener.NONE);
    }

    /** @param waiting told the request's place in its backend's queue while it waits */
    public Outcome chat(Ask ask, TokenSink sink, FairQueue.Listener waiting) {
        ModelRouter.Route route = router.chat(ask.model());
        SemanticCache.Lookup.Miss miss = null;
        String reason = !cache.enabled() ? "off" : "bypass";
        // an answer about an image is never served from, nor stored in, the cache: the key does not see the image
        if (cache.enabled() && ask.useCache() && !hasImages(ask)) {
            SemanticCache.Key key = SemanticCache.key(
                    route.model(), temperature(ask), maxTokens(ask), ask.seed(), shaping(ask), ask.messages());
            switch (cache.lookup(key)) {
                case SemanticCache.Lookup.Hit hit -> {
                    replay(hit.entry().generation().text(), sink);
                    return new Outcome(
                            route.model(), hit.entry().generation(), true, hit.similarity(), hit.reason(), 0);
                }
                case SemanticCache.Lookup.Miss m -> {
                    miss = m;
                    reason = m.reason();
                }
            }
        }
        Outcome outcome = generate(route, ask, sink, waiting);
        if (miss != null && outcome.model().equals(route.model())) {
            cache.store(miss, outcome.generation());
        }
        return outcome.withCacheReason(reason);
    }

    private static boolean hasImages(Ask ask) {
        return ask.messages().stream().anyMatch(m -> !m.images().isEmpty());
    }

    /** Images go only to a model that reads them; for any other they are refused, never silently dropped. */
    private static void refuseUnreadableImages(ModelRouter.Route route, Ask ask) {
        if (hasImages(ask) && !route.backend().readsImages(route.model())) {
            throw new ServiceException.BadInput(
                    "messages",
                    "model '" + route.model() + "' cannot read images (it does not report the vision capability); "
                            + "send them to a model that does, or send text only");
        }
    }

    /**
     * What besides the messages and the cache key's own parameters shapes the answer: tools, a JSON schema and top_p
     * (unchanged keys without them).
     */
    private static Object shaping(Ask ask) {
        Object tools = ask.format() != null
                ? List.of(ask.tools(), ask.toolChoice(), ask.format())
                : ask.tools().isEmpty() ? null : List.of(ask.tools(), ask.toolChoice());
        return ask.topP() == null ? tools : Arrays.asList(tools, "top_p", ask.topP());
    }

    /** A cached answer, sent the way a generation would have streamed it: a word at a time. */
    private static void replay(String text, TokenSink sink) {
        try {
            for (String piece : text.split("(?<=\\s)")) {
                if (!piece.isEmpty()) {
                    sink.accept(piece);
                }
            }
        } catch (java.io.IOException e) {
            throw new ClientGoneException(e);
        }
    }

    private int maxTokens(Ask ask) {
        return ask.maxTokens() == null ? defaultMaxTokens : ask.maxTokens();
    }

    private static double temperature(Ask ask) {
        return ask.temperature() == null ? 0.8 : ask.temperature();
    }

    private Outcome generate(ModelRouter.Route route, Ask ask, TokenSink sink, FairQueue.Listener waiting) {
        AtomicBoolean streamed = new AtomicBoolean();
        TokenSink tracked = text -> {
            String piece = text.replace("\u0000", ""); // as in Generation: no NUL ever leaves the service
            if (!piece.isEmpty()) {
                streamed.set(true);
                sink.accept(piece);
            }
        };
        try {
            return runOnFleet(route, ask, tracked, waiting, streamed);
        } catch (UpstreamException.Unavailable | UpstreamException.Busy e) {
            // once the client has part of an answer, another model cannot take over
            if (fallbackModel.isEmpty() || streamed.get() || fallbackModel.get().equals(route.model())) {
                throw e;
            }
            ModelRouter.Route fallback = router.chat(fallbackModel.get());
            log.warn("{} cannot answer ({}); falling back to {}", route.model(), e.getMessage(), fallback.model());
            metrics.counter(
                            "fallbacks",
                            "Requests answered by the fallback model",
                            "from",
                            route.model(),
                            "to",
                            fallback.model())
                    .increment();
            return run(fallback, ask, tracked, waiting);
        }
    }

    /**
     * Runs the request on the node {@link ModelRouter#place} picks; a node that fails before the first token (down,
     * or answering with an error) is left out and the request goes to the next one holding the model. A node that is
     * downloading the model, or too slow, is not retried elsewhere: that would start the download on every node, or run
     * the same work twice.
     */
    private Outcome runOnFleet(
            ModelRouter.Route route, Ask ask, TokenSink sink, FairQueue.Listener waiting, AtomicBoolean streamed) {
        Set<String> tried = new HashSet<>();
        ModelRouter.Route attempt = router.place(route, ask.user(), tried, true).orElse(route);
        while (true) {
            try {
                return run(attempt, ask, sink, waiting);
            } catch (UpstreamException.Unavailable | UpstreamException.BadResponse e) {
                Optional<Node> node = attempt.node();
                if (node.isEmpty() || streamed.get()) {
                    throw e;
                }
                router.fleet().failed(node.get(), e);
                tried.add(node.get().name());
                Optional<ModelRouter.Route> next = router.place(route, ask.user(), tried, false);
                if (next.isEmpty()) {
                    throw e;
                }
                String to = next.get().node().map(Node::name).orElse("?");
                log.warn(
                        "{} failed before its first token ({}); retrying on {}",
                        node.get().name(),
                        e.getMessage(),
                        to);
                metrics.counter(
                                "node.retries",
                                "Requests retried on another node after a failure before their first token",
                                "from",
                                node.get().name(),
                                "to",
                                to)
                        .increment();
                attempt = next.get();
            }
        }
    }

    private ChatRequest request(ModelRouter.Route route, Ask ask) {
        return new ChatRequest(
                route.model(),
                ask.messages(),
                maxTokens(ask),
                temperature(ask),
                ask.seed() == null ? ThreadLocalRandom.current().nextLong(Integer.MAX_VALUE) : ask.seed(),
                ask.tools(),
                ask.toolChoice(),
                ask.format(),
                ask.topP());
    }

    private Outcome run(ModelRouter.Route route, Ask ask, TokenSink sink, FairQueue.Listener waiting) {
        ChatRequest request = request(route, ask);
        String backend = route.backend().describe().name();
        try {
            // a prompt that cannot fit is refused before it takes a place in the queue
            refuseUnreadableImages(route, ask);
            route.backend().admit(request);
            String user = ask.user() == null ? "anonymous" : ask.user();
            long enqueued = System.nanoTime();
            long[] queuedNanos = {0};
            Generation generation = queue(backend)
                    .run(
                            user,
                            () -> {
                                queuedNanos[0] = System.nanoTime() - enqueued;
                                if (route.lease() != null) {
                                    route.lease().started();
                                }
                                return route.backend().chat(request, sink);
                            },
                            waiting);
            record(route.model(), backend, "ok", generation);
            return new Outcome(route.model(), generation, false, null, null, queuedNanos[0] / 1_000_000);
        } catch (ClientGoneException e) {
            count(route.model(), backend, "cancelled");
            throw e;
        } catch (UpstreamException e) {
            count(route.model(), backend, e.errorType());
            throw e;
        } catch (RuntimeException e) {
            count(route.model(), backend, e instanceof ServiceException ? "rejected" : "error");
            throw e;
        } finally {
            if (route.lease() != null) {
                route.lease().close();
            }
        }
    }

    private void record(String model, String backend, String outcome, Generation g) {
        count(model, backend, outcome);
        metrics.counter("tokens", "Tokens read and generated", "model", model, "direction", "prompt")
                .increment(g.promptTokens());
        metrics.counter("tokens", "Tokens read and generated", "model", model, "direction", "completion")
                .increment(g.completionTokens());
        if (g.completionTokens() > 0) {
            metrics.timer(
                            "time.to.first.token",
                            "From the start of a generation to its first token",
                            "model",
                            model,
                            "backend",
                            backend)
                    .record(Duration.ofNanos(g.timeToFirstTokenNanos()));
            metrics.summary("tokens.per.second", "Generation speed of each answer", "model", model, "backend", backend)
                    .record(g.completionTokens() / Math.max(1e-9, g.totalNanos() / 1e9));
        }
    }

    private void count(String model, String backend, String outcome) {
        metrics.counter("generations", "Generations by outcome", "model", model, "backend", backend, "outcome", outcome)
                .increment();
    }
}
