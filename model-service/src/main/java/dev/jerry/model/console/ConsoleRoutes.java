package dev.jerry.model.console;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The admin console: an HTML page, its script and its style, served from the jar without a token (a browser cannot
 * send one when it opens a page); the page asks for the token and sends it with each API call, so every piece of data
 * stays behind the same bearer auth as the API. Nothing comes from elsewhere: the content security policy says so.
 */
public final class ConsoleRoutes implements Feature {
    public static final String PATH = "/console";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Override
    public void routes(RoutesConfig routes) {
        routes.get(PATH, ctx -> serve(ctx, "index.html"));
        routes.get(PATH + "/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    @Override
    public boolean isPublic(String path) {
        return path.equals(PATH)
                || path.equals(PATH + "/")
                || path.startsWith(PATH + "/") && FILES.containsKey(path.substring(PATH.length() + 1));
    }

    private static void serve(Context ctx, String file) {
        String name = file.isEmpty() ? "index.html" : file;
        String type = FILES.get(name);
        if (type == null) {
            throw new ServiceException.NotFound("the console has no file '" + name + "'");
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the model-service jar");
            }
            ctx.header("Content-Security-Policy", POLICY)
                    .header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff")
                    .contentType(type)
                    .result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
