package dev.jerry.kit.http;

import dev.jerry.kit.api.ErrorBody;
import dev.jerry.kit.auth.BearerAuthenticator;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.health.Readiness;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Javalin app every Jerry service is built on: virtual threads, the JSON error body for every error, request ids,
 * bearer auth for named callers, {@code /health/live}, {@code /health/ready}, {@code /metrics}, and HTTP metrics per
 * route template. A service adds its {@link Feature}s; tests build the very same app on a random port.
 */
public final class ServiceApp {
    private static final Logger log = LoggerFactory.getLogger(ServiceApp.class);
    private static final Logger accessLog = LoggerFactory.getLogger("jerry.access");

    public static final String CALLER_ATTRIBUTE = "jerry.caller";
    public static final String SERVICE_MDC_KEY = "service";
    public static final String CALLER_MDC_KEY = "caller";
    private static final String START_ATTRIBUTE = "jerry.start";
    private static final String ANONYMOUS = "anonymous";

    private final ServerConfig config;
    private final ServiceMetrics metrics;
    private final Readiness readiness;
    private final BearerAuthenticator authenticator;
    private final Javalin javalin;
    private final List<AutoCloseable> resources;
    private final List<Feature> features;
    /** The features' own body limits, then the service's {@code JERRY_MAX_BODY_BYTES} for every other path. */
    private final List<BodyLimit> bodyLimits;

    private ServiceApp(
            ServerConfig config,
            ServiceMetrics metrics,
            List<HealthCheck> checks,
            List<Feature> features,
            List<AutoCloseable> resources) {
        this.resources = List.copyOf(resources);
        this.features = List.copyOf(features);
        this.bodyLimits = Stream.concat(
                        features.stream().flatMap(f -> f.bodyLimits().stream()),
                        Stream.of(new BodyLimit(Set.of(), config.maxBodyBytes(), ServerConfig.MAX_BODY_BYTES)))
                .toList();
        this.config = config;
        this.metrics = metrics;
        this.readiness = new Readiness(checks, metrics);
        this.authenticator = new BearerAuthenticator(config.auth().callers());
        this.javalin = Javalin.create(cfg -> configure(cfg, features));
    }

    public static ServiceApp create(
            ServerConfig config, ServiceMetrics metrics, List<HealthCheck> checks, List<Feature> features) {
        return new ServiceApp(config, metrics, checks, features, List.of());
    }

    /** A service that owns {@code resources} (connection pools...): they are closed, in order, when it stops. */
    public static ServiceApp create(
            ServerConfig config,
            ServiceMetrics metrics,
            List<HealthCheck> checks,
            List<Feature> features,
            List<AutoCloseable> resources) {
        return new ServiceApp(config, metrics, checks, features, resources);
    }

    public ServiceApp start() {
        javalin.start(config.host(), config.port());
        log.info(
                "{} service listening on http://{}:{} (auth {})",
                config.service(),
                config.host(),
                port(),
                config.auth().enabled()
                        ? "on for callers " + config.auth().callers().keySet()
                        : "OFF (loopback only)");
        return this;
    }

    public void stop() {
        javalin.stop();
        readiness.close();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("could not close {}: {}", resource, e.getMessage());
            }
        }
    }

    public int port() {
        return javalin.port();
    }

    public URI baseUrl() {
        return URI.create(
                "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port());
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    public Readiness.Report readiness() {
        return readiness.evaluate();
    }

    private void configure(JavalinConfig cfg, List<Feature> features) {
        cfg.concurrency.useVirtualThreads = true;
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize =
                bodyLimits.stream().mapToLong(BodyLimit::bytes).max().orElseThrow();
        cfg.http.prefer405over404 = true;
        cfg.http.defaultContentType = ContentType.JSON;
        cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));
        cfg.requestLogger.http(this::finishRequest);
        // what Jetty refuses before Javalin sees it (bad paths, huge headers) gets the JSON body too
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));

        var routes = cfg.routes;
        routes.before(this::beginRequest);
        routes.exception(HttpResponseException.class, this::handleHttpError);
        routes.exception(ServiceException.class, this::handleService);
        routes.exception(UpstreamException.class, this::handleUpstream);
        routes.exception(Exception.class, this::handleUnexpected);

        routes.get("/health/live", this::live);
        routes.get("/health/ready", this::ready);
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
        features.forEach(feature -> feature.routes(routes));
    }

    // --- the request's life ---

    private void beginRequest(Context ctx) {
        ctx.attribute(START_ATTRIBUTE, System.nanoTime());
        String requestId = RequestIds.resolve(ctx.header(RequestIds.HEADER));
        ctx.header(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        MDC.put(SERVICE_MDC_KEY, config.service());
        authenticate(ctx);
        long length = ctx.req().getContentLengthLong();
        BodyLimit limit = bodyLimit(ctx.path());
        if (length > limit.bytes()) {
            throw new HttpResponseException(
                    HttpStatus.CONTENT_TOO_LARGE.getCode(),
                    "request body is " + length + " bytes; the limit is " + limit.bytes() + " bytes ("
                            + limit.variable() + ")");
        }
    }

    /** The body limit of {@code path}: a feature's own for its routes, else {@code JERRY_MAX_BODY_BYTES}. */
    private BodyLimit bodyLimit(String path) {
        return bodyLimits.stream()
                .filter(limit -> limit.paths().contains(path))
                .findFirst()
                .orElse(bodyLimits.getLast());
    }

    private void authenticate(Context ctx) {
        if (!config.auth().enabled() || isOpenPath(ctx.path())) {
            ctx.attribute(CALLER_ATTRIBUTE, ANONYMOUS);
            return;
        }
        String header = ctx.header(Header.AUTHORIZATION);
        String reason;
        if (header == null || header.isBlank()) {
            reason = "missing";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reason = "malformed";
        } else {
            Optional<String> caller =
                    authenticator.callerFor(header.substring(7).strip());
            if (caller.isPresent()) {
                ctx.attribute(CALLER_ATTRIBUTE, caller.get());
                MDC.put(CALLER_MDC_KEY, caller.get());
                return;
            }
            reason = "invalid";
        }
        ctx.attribute(CALLER_ATTRIBUTE, ANONYMOUS);
        authFailures(reason).increment();
        log.warn("rejected {} {} from {}: {} bearer token", ctx.method(), ctx.path(), ctx.ip(), reason);
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"jerry\"");
        throw new HttpResponseException(
                HttpStatus.UNAUTHORIZED.getCode(),
                switch (reason) {
                    case "missing" -> "this endpoint needs an 'Authorization: Bearer <token>' header";
                    case "malformed" -> "the Authorization header must be 'Bearer <token>'";
                    default -> "the bearer token is not valid (unknown or revoked)";
                });
    }

    private boolean isOpenPath(String path) {
        return path.equals("/health/live")
                || features.stream().anyMatch(feature -> feature.isPublic(path))
                || !config.auth().protectOps() && (path.equals("/health/ready") || path.equals("/metrics"));
    }

    private void finishRequest(Context ctx, Float executionMs) {
        try {
            Object start = ctx.attribute(START_ATTRIBUTE);
            Duration latency = start instanceof Long nanos
                    ? Duration.ofNanos(System.nanoTime() - nanos)
                    : Duration.ofMillis(executionMs.longValue());
            String caller = String.valueOf(
                    Optional.ofNullable(ctx.attribute(CALLER_ATTRIBUTE)).orElse(ANONYMOUS));
            String route = routeTemplate(ctx);
            metrics.timer(
                            "http.server.requests",
                            "HTTP requests served, by route template",
                            "method",
                            ctx.method().name(),
                            "route",
                            route,
                            "status",
                            String.valueOf(ctx.statusCode()),
                            "caller",
                            caller)
                    .record(latency);
            if (!route.startsWith("/health") && !route.equals("/metrics") || ctx.statusCode() >= 400) {
                accessLog.info("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), latency.toMillis());
            }
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove(SERVICE_MDC_KEY);
            MDC.remove(CALLER_MDC_KEY);
        }
    }

    /** The matched route's template ({@code /v1/conversations/{id}}), never the raw path, to bound cardinality. */
    private static String routeTemplate(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null || endpoint.path.isEmpty() ? "unmatched" : endpoint.path;
    }

    private Counter authFailures(String reason) {
        return metrics.counter("auth.failures", "Requests rejected for a missing or invalid token", "reason", reason);
    }

    // --- health ---

    private void live(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "live");
        body.put("service", config.service());
        body.put("uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        ctx.json(body);
    }

    private void ready(Context ctx) {
        Readiness.Report report = readiness.evaluate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status());
        body.put("service", config.service());
        body.put("checks", report.checks());
        if (!report.ready()) {
            body.put("error", new ErrorBody.Detail("not_ready", "not ready: " + report.failures(), requestId(ctx)));
        }
        ctx.status(report.ready() ? 200 : 503).json(body);
    }

    // --- errors: one place maps every failure to the JSON error body ---

    private void handleHttpError(HttpResponseException e, Context ctx) {
        if (e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
            String allowed = e.getDetails()
                    .getOrDefault("availableMethods", e.getDetails().get("Available methods"));
            if (allowed != null) {
                ctx.header(Header.ALLOW, allowed);
            }
            writeError(
                    ctx,
                    405,
                    "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path()
                            + (allowed == null ? "" : "; allowed: " + allowed));
            return;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? HttpStatus.forStatus(e.getStatus()).getMessage()
                : e.getMessage();
        if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode() && !message.contains("limit")) {
            message = "request body is over the limit of " + config.maxBodyBytes() + " bytes ("
                    + ServerConfig.MAX_BODY_BYTES + ")";
        }
        writeError(ctx, e.getStatus(), errorType(e.getStatus()), message);
    }

    private void handleService(ServiceException e, Context ctx) {
        e.retryAfter().ifPresent(wait -> ctx.header(Header.RETRY_AFTER, retryAfterSeconds(wait)));
        writeError(ctx, e.status(), e.type(), e.getMessage(), e.field().orElse(null));
    }

    private void handleUpstream(UpstreamException e, Context ctx) {
        log.warn("upstream failure ({}): {}", e.upstream(), e.getMessage());
        e.retryAfter().ifPresent(wait -> ctx.header(Header.RETRY_AFTER, retryAfterSeconds(wait)));
        writeError(ctx, e.httpStatus(), e.errorType(), e.getMessage());
    }

    /** Whole seconds, rounded up, at least 1: {@code Retry-After: 0} would invite an immediate retry. */
    private static String retryAfterSeconds(Duration wait) {
        return String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    private void handleUnexpected(Exception e, Context ctx) {
        log.error("unexpected failure in {} {}", ctx.method(), ctx.path(), e);
        writeError(
                ctx,
                500,
                "internal_error",
                "internal error; the service log has the details under request id " + requestId(ctx));
    }

    private static void writeError(Context ctx, int status, String type, String message) {
        writeError(ctx, status, type, message, null);
    }

    /** In the shape of the path's API family (OpenAI, Ollama or Jerry's own); the request id is in a header. */
    private static void writeError(Context ctx, int status, String type, String message, String field) {
        ctx.status(status).json(ApiFamily.of(ctx.path()).body(status, type, message, field, requestId(ctx)));
    }

    private static String requestId(Context ctx) {
        return ctx.res().getHeader(RequestIds.HEADER);
    }

    /**
     * The error body for a failure that happens after a streamed response has started, when the status line is
     * already sent: the same type and message the app would have answered with, never internals.
     */
    public static ErrorBody errorBodyFor(Exception e, String requestId) {
        return switch (e) {
            case UpstreamException u -> ErrorBody.of(u.errorType(), u.getMessage(), requestId);
            case ServiceException s -> ErrorBody.of(s.type(), s.getMessage(), requestId);
            case HttpResponseException h -> ErrorBody.of(errorType(h.getStatus()), h.getMessage(), requestId);
            default ->
                ErrorBody.of(
                        "internal_error",
                        "internal error; the service log has the details under request id " + requestId,
                        requestId);
        };
    }

    /**
     * As {@link #errorBodyFor(Exception, String)}, in the shape of an API family: an OpenAI stream ends with a
     * {@code data: {"error": {"message", "type", "param", "code"}}} event, an Ollama stream with
     * {@code {"error": "..."}}, the clients of each read that shape.
     */
    public static Object errorBodyFor(Exception e, String requestId, ApiFamily family) {
        ErrorBody.Detail detail = errorBodyFor(e, requestId).error();
        int status = switch (e) {
            case UpstreamException u -> u.httpStatus();
            case ServiceException s -> s.status();
            case HttpResponseException h -> h.getStatus();
            default -> 500;
        };
        String field = e instanceof ServiceException s ? s.field().orElse(null) : null;
        return family.body(status, detail.type(), detail.message(), field, requestId);
    }

    static String errorType(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 502 -> "upstream_error";
            case 503 -> "unavailable";
            case 504 -> "upstream_timeout";
            case 507 -> "insufficient_storage";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }
}
