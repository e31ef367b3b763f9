package dev.jerry.rag;

import dev.jerry.kit.api.SearchRequest;
import dev.jerry.kit.api.SearchResponse;
import dev.jerry.kit.api.SearchResult;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.Retriever;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/search} and {@code GET /v1/collections}. */
public final class SearchRoutes implements Feature {
    private final KnowledgeStore store;
    private final Retriever retriever;
    private final String defaultCollection;
    private final ServiceMetrics metrics;

    public SearchRoutes(KnowledgeStore store, Retriever retriever, String defaultCollection, ServiceMetrics metrics) {
        this.store = store;
        this.retriever = retriever;
        this.defaultCollection = defaultCollection;
        this.metrics = metrics;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/search", this::search);
        routes.get("/v1/collections", ctx -> ctx.json(Map.of("collections", store.collections())));
    }

    private void search(Context ctx) {
        SearchRequest request = Json.readRequest(ctx.body(), SearchRequest.class);
        long start = System.nanoTime();
        String collection = request.collection() == null ? defaultCollection : request.collection();
        List<SearchResult> results = retriever.search(
                collection,
                new Retriever.Query(
                        request.query(),
                        request.topK() == null ? 5 : request.topK(),
                        request.minScore() == null ? 0 : request.minScore(),
                        request.filter() == null ? null : request.filter().source(),
                        request.filter() == null ? List.of() : request.filter().tags(),
                        Boolean.TRUE.equals(request.chunks())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.timer("search", "Searches: query embedding, Chroma and the lexical index", "collection", collection)
                .record(took);
        metrics.summary("search.results", "Results per search", "collection", collection)
                .record(results.size());
        if (results.isEmpty()) {
            metrics.counter("search.empty", "Searches that found nothing", "collection", collection)
                    .increment();
        }
        ctx.json(new SearchResponse(results, store.embeddings().id(), took.toMillis()));
    }
}
