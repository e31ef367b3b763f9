package dev.jerry.kit.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer of model-service's {@code GET /v1/status}: what {@code /jerry-status} shows, as a declared contract
 * instead of metric names and readiness-check names.
 *
 * @param ready every chat backend answers
 * @param models the chat models the backends serve
 * @param backends each chat backend, ready or with the reason it is not
 * @param queues each fair queue in front of a backend
 * @param cache the semantic cache's lookups since start
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelStatus(boolean ready, List<String> models, List<Backend> backends, List<Queue> queues, Cache cache) {
    public ModelStatus {
        models = List.copyOf(models);
        backends = List.copyOf(backends);
        queues = List.copyOf(queues);
    }

    /** A chat backend; {@code reason} says why it is not ready (absent when it is). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Backend(String name, boolean ready, String reason) {}

    /** Requests waiting for and running on one backend's queue. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Queue(String name, int waiting, int running, int concurrency) {}

    /** Cache lookups that were answered from the cache ({@code hits}) or not ({@code misses}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cache(long hits, long misses) {
        public long lookups() {
            return hits + misses;
        }
    }
}
