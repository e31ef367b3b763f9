package dev.jerry.model.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.ollama.ModelRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each model of one Ollama node can do ({@code completion}, {@code tools}, {@code vision}, ...), as the node's own
 * {@code /api/show} lists it. Asked once per model and kept for {@link #KEPT}, since a model under the same name can be
 * pulled anew; a node that does not answer is asked again next time (meanwhile its models count as text-only).
 */
final class NodeCapabilities {
    private static final Logger log = LoggerFactory.getLogger(NodeCapabilities.class);
    static final Duration KEPT = Duration.ofMinutes(10);
    static final List<String> TEXT_ONLY = List.of("completion", "tools");

    private record Known(List<String> capabilities, Instant at) {}

    private final String node;
    private final ServiceClient client;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    NodeCapabilities(String node, ServiceClient client, Clock clock) {
        this.node = node;
        this.client = client;
        this.clock = clock;
    }

    /** The capabilities of {@code model} (a tagged name) on the node. */
    List<String> of(String model) {
        Known cached = known.get(model);
        if (cached != null && cached.at().plus(KEPT).isAfter(clock.instant())) {
            return cached.capabilities();
        }
        try {
            JsonNode show = client.post("/api/show", ModelRequest.of(model, false), JsonNode.class);
            List<String> capabilities = new ArrayList<>();
            show.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            // an Ollama older than 0.6.4 lists none: it still completes (and its tool support is checked per request)
            List<String> kept = capabilities.isEmpty() ? TEXT_ONLY : List.copyOf(capabilities);
            known.put(model, new Known(kept, clock.instant()));
            return kept;
        } catch (UpstreamException e) {
            log.debug("{} did not describe {}: {}", node, model, e.getMessage());
            return TEXT_ONLY;
        }
    }

    /** Forgets what was learnt about {@code model} (it was deleted, copied over or pulled again). */
    void forget(String model) {
        known.remove(model);
    }
}
