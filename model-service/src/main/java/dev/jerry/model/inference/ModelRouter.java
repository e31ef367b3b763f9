package dev.jerry.model.inference;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.fleet.Fleet;
import dev.jerry.model.fleet.Node;
import dev.jerry.ollama.ModelName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the backend that serves a requested model. Ollama-style names may carry a {@code :latest} tag. Backends are
 * asked in their configured order; the Ollama nodes count as one place in that order (where the first configured node
 * stands), and among them the least loaded online node that holds the model wins (see {@link Fleet#lease}).
 */
public final class ModelRouter {
    public static final String NO_MODEL =
            "no chat model is configured: set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an Ollama server";

    /**
     * Where one request goes.
     *
     * @param lease on a fleet node, the request's place in that node's load once it is placed ({@link #place}); null
     *     otherwise
     */
    public record Route(Backend backend, String model, Node.Lease lease) {
        public Route(Backend backend, String model) {
            this(backend, model, null);
        }

        /** The fleet node it runs on, when it was placed on one. */
        public Optional<Node> node() {
            return lease == null ? Optional.empty() : Optional.of(lease.node());
        }
    }

    private final List<Backend> configured;
    private final Embedder embedder;
    private final Fleet fleet;

    /** Backends without a fleet of their own (the configured Ollama backends, if any, are not routed as a fleet). */
    public ModelRouter(List<Backend> backends, Embedder embedder) {
        this(backends, embedder, Fleet.none(new ServiceMetrics("model")));
    }

    /** @param fleet the Ollama nodes, among them every {@link dev.jerry.model.ollama.OllamaBackend} of {@code backends} */
    public ModelRouter(List<Backend> backends, Embedder embedder, Fleet fleet) {
        this.configured = List.copyOf(backends);
        this.embedder = embedder;
        this.fleet = fleet;
    }

    public static String normalize(String model) {
        return ModelName.display(model);
    }

    public Fleet fleet() {
        return fleet;
    }

    /**
     * The backend for {@code model}, or for the default model (the first one configured) when it is null. On the fleet
     * this names the least loaded node now, without taking a place in its load: {@link #place} does that when the
     * request runs.
     *
     * @throws ServiceException.BadInput for a malformed model name (before any node is asked)
     */
    public Route chat(String model) {
        List<Backend> backends = backends();
        if (backends.isEmpty()) {
            throw new ServiceException.Unavailable(NO_MODEL);
        }
        String name = model == null || model.isBlank() || normalize(model).equals("default")
                ? defaultModel(backends)
                : normalize(model);
        Optional<Route> held = find(backends, name, b -> b.serves(name));
        if (held.isPresent()) {
            return held.get();
        }
        ModelName.problem(name).ifPresent(problem -> {
            throw new ServiceException.BadInput("model", problem);
        });
        // no other node starts downloading a model that offline nodes hold: the request goes to one of them, and
        // fails over to the fallback model, or says the node is unreachable
        Optional<Node> offline = fleet.nodes().stream()
                .filter(n -> !n.online() && n.backend().describe().models().contains(name))
                .findFirst();
        if (offline.isPresent()) {
            return new Route(offline.get().backend(), name);
        }
        Optional<Route> provided = find(backends, name, b -> b.canProvide(name));
        if (provided.isPresent()) {
            return provided.get();
        }
        if (name.equals(embedder.id())) {
            throw new ServiceException.BadInput(
                    "model", "'" + name + "' is an embedding model; chat models: " + String.join(", ", chatModels()));
        }
        throw notFound(model);
    }

    /** The first model of the first backend that names one. */
    private static String defaultModel(List<Backend> backends) {
        return backends.stream()
                .flatMap(b -> b.describe().models().stream())
                .findFirst()
                .orElseThrow(() -> new ServiceException.Unavailable(
                        "no chat model yet: the configured nodes list none; pull one or set JERRY_OLLAMA_MODELS"));
    }

    /** The first backend in order that {@code has} the model; the fleet's place goes to its least loaded node. */
    private Optional<Route> find(List<Backend> backends, String name, Predicate<Backend> has) {
        boolean fleetAsked = false;
        for (Backend backend : backends) {
            if (fleet.nodeOf(backend).isEmpty()) {
                if (has.test(backend)) {
                    return Optional.of(new Route(backend, name));
                }
            } else if (!fleetAsked) {
                fleetAsked = true;
                Optional<Node> node =
                        fleet.candidates(n -> has.test(n.backend())).stream().findFirst();
                if (node.isPresent()) {
                    return Optional.of(new Route(node.get().backend(), name));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Places a request routed by {@link #chat} and takes its place in the chosen node's load: on the fleet, the least
     * loaded online node not in {@code excluded} that holds the model (stickiness per {@code user} aside), or with
     * {@code mayPull} one that can pull it; elsewhere the route itself. Empty when no node is left.
     */
    public Optional<Route> place(Route route, String user, Set<String> excluded, boolean mayPull) {
        Optional<Node> routed = fleet.nodeOf(route.backend());
        if (routed.isEmpty() || excluded.isEmpty() && !routed.get().online()) {
            return Optional.of(route); // not a node, or routed to an offline node that holds the model (see chat)
        }
        String name = route.model();
        Optional<Node.Lease> lease = fleet.lease(n -> n.backend().serves(name), user, excluded);
        if (lease.isEmpty() && mayPull) {
            lease = fleet.lease(n -> n.backend().canProvide(name), user, excluded);
        }
        return lease.map(l -> new Route(l.node().backend(), name, l));
    }

    /** Checks that {@code model} (or the default when null) names the embedding model. */
    public Embedder embedding(String model) {
        if (model == null || model.isBlank() || normalize(model).equals(embedder.id())) {
            return embedder;
        }
        throw notFound(model);
    }

    /**
     * Every backend in routing order: the configured ones, with the fleet's nodes (configured and registered, online
     * or not) where the first configured node stands, or at the end.
     */
    public List<Backend> backends() {
        List<Backend> all = new ArrayList<>();
        boolean placed = false;
        for (Backend backend : configured) {
            if (fleet.manages(backend)) {
                if (!placed) {
                    fleet.nodes().forEach(n -> all.add(n.backend()));
                    placed = true;
                }
            } else {
                all.add(backend);
            }
        }
        if (!placed) {
            fleet.nodes().forEach(n -> all.add(n.backend()));
        }
        return all;
    }

    public Embedder embedder() {
        return embedder;
    }

    public List<String> chatModels() {
        return backends().stream()
                .flatMap(b -> b.describe().models().stream())
                .distinct()
                .toList();
    }

    private ServiceException.NotFound notFound(String model) {
        var available = new ArrayList<>(chatModels());
        available.add(embedder.id());
        return new ServiceException.NotFound(
                "model '" + model + "' is not available; available models: " + String.join(", ", available));
    }
}
