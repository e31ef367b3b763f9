package dev.jerry.kit.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Request ids: taken from {@code X-Request-Id} when it is sane, generated otherwise, kept in the MDC. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    /** The incoming id if it is 1–128 safe characters (it ends up in logs), else a fresh one. */
    public static String resolve(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : generate();
    }

    /** The id of the request being served (from the response header the app factory set), for error bodies. */
    public static String currentOr(io.javalin.http.Context ctx) {
        String id = ctx.res().getHeader(HEADER);
        return id != null ? id : org.slf4j.MDC.get(MDC_KEY);
    }

    public static String generate() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
