package dev.jerry.model.api;

import io.javalin.http.Context;

/** {@code X-Jerry-Cache: bypass} skips the semantic cache in every API dialect. */
final class CacheHeader {
    static final String NAME = "X-Jerry-Cache";

    private CacheHeader() {}

    static boolean allows(Context ctx) {
        return !"bypass".equalsIgnoreCase(ctx.header(NAME));
    }
}
