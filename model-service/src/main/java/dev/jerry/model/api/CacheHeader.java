package dev.jerry.model.api;

import dev.jerry.model.inference.Inference;
import io.javalin.http.Context;

/**
 * {@code X-Jerry-Cache: bypass} on a request skips the semantic cache in every API dialect; on a response the same
 * header says why the cache answered or not ({@code semantic}, {@code rejected:number}, ...).
 */
final class CacheHeader {
    static final String NAME = "X-Jerry-Cache";

    private CacheHeader() {}

    /** Reports the cache's reason on a response whose headers are not sent yet (a plain, non-streamed answer). */
    static void report(Context ctx, Inference.Outcome outcome) {
        if (outcome.cacheReason() != null) {
            ctx.header(NAME, outcome.cacheReason());
        }
    }

    static boolean allows(Context ctx) {
        return !"bypass".equalsIgnoreCase(ctx.header(NAME));
    }
}
