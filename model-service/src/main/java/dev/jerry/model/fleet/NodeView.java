package dev.jerry.model.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * A node as {@code GET /v1/nodes} shows it; unknown values are {@code null}, never left out.
 *
 * @param vramSource {@code declared} (by the operator), {@code reported} (by the node) or null when unknown
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeView(
        String name,
        String url,
        String source,
        String state,
        Long vramBytes,
        String vramSource,
        List<String> labels,
        List<Model> models,
        Long freeDiskBytes,
        int inFlight,
        int queued,
        String lastError,
        String nextRetryAt) {

    /** A model on the node, with its size in bytes as the node lists it. */
    public record Model(String name, long size) {}

    public static NodeView of(Node node) {
        return new NodeView(
                node.name(),
                node.url().toString(),
                node.source().name().toLowerCase(Locale.ROOT),
                node.state().name().toLowerCase(Locale.ROOT),
                node.vramBytes().isPresent() ? node.vramBytes().getAsLong() : null,
                node.vramBytes().isPresent() ? "declared" : null,
                node.labels(),
                node.models().stream().map(f -> new Model(f.name(), f.size())).toList(),
                node.freeDiskBytes().isPresent() ? node.freeDiskBytes().getAsLong() : null,
                node.inFlight(),
                node.queued(),
                node.lastError().orElse(null),
                node.nextRetryAt().map(Object::toString).orElse(null));
    }

    /** Only the list: {@code {"nodes": [...]}}. */
    public record Nodes(List<NodeView> nodes) {}
}
