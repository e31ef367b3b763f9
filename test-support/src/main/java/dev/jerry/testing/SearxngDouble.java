package dev.jerry.testing;

import io.javalin.Javalin;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A SearXNG instance for tests: {@code GET /search?q=...&format=json} in SearXNG's JSON shape, with set results. */
public final class SearxngDouble implements AutoCloseable {
    public record Result(String url, String title, String content) {}

    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final Javalin app;

    private SearxngDouble(List<Result> results) {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/search", ctx -> {
                if (!"json".equals(ctx.queryParam("format"))) {
                    ctx.status(403).result("format not allowed"); // what SearXNG answers when JSON is not enabled
                    return;
                }
                String query = ctx.queryParam("q");
                queries.add(query);
                List<Map<String, Object>> shaped = new java.util.ArrayList<>();
                int position = 1;
                for (Result r : results) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("url", r.url());
                    result.put("title", r.title());
                    result.put("content", r.content());
                    result.put("engine", "duckduckgo");
                    result.put("engines", List.of("duckduckgo"));
                    result.put("positions", List.of(position++));
                    result.put("score", 1.0);
                    result.put("category", "general");
                    shaped.add(result);
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("query", query);
                answer.put("number_of_results", shaped.size());
                answer.put("results", shaped);
                answer.put("answers", List.of());
                answer.put("corrections", List.of());
                answer.put("infoboxes", List.of());
                answer.put("suggestions", List.of());
                answer.put("unresponsive_engines", List.of());
                ctx.json(answer);
            });
        });
    }

    public static SearxngDouble start(List<Result> results) {
        SearxngDouble searxng = new SearxngDouble(results);
        searxng.app.start("127.0.0.1", 0);
        return searxng;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    public List<String> queries() {
        return List.copyOf(queries);
    }

    @Override
    public void close() {
        app.stop();
    }
}
