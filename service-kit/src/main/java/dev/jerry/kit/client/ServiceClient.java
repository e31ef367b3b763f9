package dev.jerry.kit.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * JSON over HTTP to one upstream service, with timeouts, retries with backoff for retriable failures only, the
 * request id and bearer token passed on, and every failure turned into an {@link UpstreamException}.
 *
 * <p>Retried: a connection that could not be made, 503 and 429 (the upstream did not take the request), and, for
 * GET only, a connection that broke. Never retried: timeouts (a slow generation must not run twice) and other errors.
 */
public final class ServiceClient {
    private static final Logger log = LoggerFactory.getLogger(ServiceClient.class);

    private final String upstream;
    private final URI baseUrl;
    private final Optional<Secret> token;
    private final ClientOptions options;
    private final ServiceMetrics metrics;
    private final HttpClient http;

    public ServiceClient(
            String upstream, URI baseUrl, Optional<Secret> token, ClientOptions options, ServiceMetrics metrics) {
        this.upstream = upstream;
        this.baseUrl = baseUrl;
        this.token = token;
        this.options = options;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String upstream() {
        return upstream;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public <T> T get(String path, Class<T> type) {
        return readJson(send("GET", path, null, Map.of()), type);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return post(path, body, Map.of(), type);
    }

    public <T> T post(String path, Object body, Map<String, String> headers, Class<T> type) {
        return readJson(send("POST", path, body, headers), type);
    }

    public void delete(String path) {
        send("DELETE", path, null, Map.of());
    }

    /** Sends the request and returns the raw successful response (status 2xx). */
    public HttpResponse<String> send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest request = request(method, path, body, headers, options.readTimeout(), "application/json");
        HttpResponse<InputStream> response = exchange(request, method);
        return new StringResponse(response, readBody(response));
    }

    /**
     * Sends a request and returns the body of its successful (2xx) response as a stream, for line-delimited formats
     * such as NDJSON. Failures before the response are mapped and retried like any call. Close it to hang up.
     */
    public InputStream openStream(String method, String path, Object body, Map<String, String> headers) {
        return exchange(request(method, path, body, headers, options.readTimeout(), "application/x-ndjson"), method)
                .body();
    }

    /**
     * Opens a Server-Sent Events stream ({@code POST} with a JSON body). The caller must close it; closing early hangs
     * up, which tells the upstream that nobody is listening any more.
     */
    public SseStream stream(String path, Object body, Map<String, String> headers) {
        HttpRequest request = request("POST", path, body, headers, options.readTimeout(), "text/event-stream");
        HttpResponse<InputStream> response = exchange(request, "POST");
        return new SseStream(
                upstream, response.body(), options.streamIdleTimeout(), () -> metrics.timeout("upstream:" + upstream));
    }

    private HttpRequest request(
            String method, String path, Object body, Map<String, String> headers, Duration timeout, String accept) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timeout).header("Accept", accept);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json");
        }
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            builder.header(RequestIds.HEADER, requestId);
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Sends with retries; returns only a 2xx response, whose body the caller must consume or close. */
    private HttpResponse<InputStream> exchange(HttpRequest request, String method) {
        Duration backoff = options.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            UpstreamException failure;
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                record(method, String.valueOf(response.statusCode()), start);
                if (response.statusCode() / 100 == 2) {
                    return response;
                }
                failure = failureFor(
                        response.statusCode(), response.headers().firstValue("Retry-After"), readBody(response));
            } catch (HttpConnectTimeoutException e) {
                record(method, "connect_timeout", start);
                metrics.timeout("upstream:" + upstream);
                failure = new UpstreamException.Unavailable(
                        upstream,
                        upstream + " did not accept a connection within "
                                + options.connectTimeout().toMillis() + " ms at " + baseUrl,
                        e);
            } catch (HttpTimeoutException e) {
                record(method, "timeout", start);
                metrics.timeout("upstream:" + upstream);
                throw new UpstreamException.Timeout(
                        upstream,
                        upstream + " did not answer within "
                                + request.timeout().orElseThrow().toMillis() + " ms",
                        e);
            } catch (ConnectException | UnresolvedAddressException e) {
                record(method, "connect_error", start);
                failure = new UpstreamException.Unavailable(
                        upstream, upstream + " is unreachable at " + baseUrl + " (connection refused)", e);
            } catch (IOException e) {
                record(method, "io_error", start);
                if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                    failure = new UpstreamException.Unavailable(
                            upstream, upstream + " is unreachable at " + baseUrl + " (" + e.getCause() + ")", e);
                } else {
                    UpstreamException broken = new UpstreamException.Unavailable(
                            upstream, "the connection to " + upstream + " broke: " + e, e);
                    if (!"GET".equals(method)) {
                        throw broken;
                    }
                    failure = broken;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException.Unavailable(upstream, "interrupted while calling " + upstream, e);
            }
            if (!failure.retriable() || attempt >= options.maxAttempts()) {
                throw failure;
            }
            Duration wait = failure.retryAfter().orElse(jitter(backoff));
            if (wait.compareTo(options.maxBackoff()) > 0) {
                throw failure;
            }
            log.info(
                    "{} failed (attempt {}/{}): {}; retrying in {} ms",
                    upstream,
                    attempt,
                    options.maxAttempts(),
                    failure.getMessage(),
                    wait.toMillis());
            sleep(wait);
            backoff = backoff.multipliedBy(2);
        }
    }

    private UpstreamException failureFor(int status, Optional<String> retryAfterHeader, String body) {
        String detail = errorMessage(body);
        if (status == 503 && UpstreamException.Unavailable.NOT_CONFIGURED.equals(errorType(body))) {
            // the upstream's own words say what to set; passed on as they are, and never retried
            return UpstreamException.Unavailable.notConfigured(upstream, detail, null);
        }
        return switch (status) {
            case 429 ->
                new UpstreamException.Busy(
                        upstream, upstream + " is busy: " + detail, parseRetryAfter(retryAfterHeader));
            case 503 ->
                retryAfterHeader.isPresent()
                        ? new UpstreamException.Busy(
                                upstream, upstream + " is unavailable: " + detail, parseRetryAfter(retryAfterHeader))
                        : new UpstreamException.Unavailable(upstream, upstream + " is unavailable: " + detail, null);
            case 504 -> new UpstreamException.Timeout(upstream, upstream + " timed out: " + detail, null);
            case 401, 403 ->
                new UpstreamException.BadResponse(
                        upstream,
                        status,
                        upstream + " rejected this service's token (" + status + "): " + detail,
                        null);
            default ->
                new UpstreamException.BadResponse(
                        upstream, status, upstream + " answered " + status + ": " + detail, null);
        };
    }

    /** The {@code type} of a Jerry error body, or empty. */
    private static String errorType(String body) {
        try {
            return Json.mapper().readTree(body).path("error").path("type").asText("");
        } catch (JsonProcessingException | IllegalArgumentException ignored) {
            return "";
        }
    }

    /** The message of a Jerry or OpenAI error body, an Ollama one, or the start of whatever else the upstream sent. */
    private static String errorMessage(String body) {
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            // Jerry's and OpenAI's {"error": {"message"}}, or Ollama's {"error": "<message>"}
            JsonNode message = error.isTextual() ? error : error.path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (JsonProcessingException | IllegalArgumentException ignored) {
            // not JSON: fall through to the raw text
        }
        String text = body.strip();
        return text.isEmpty() ? "(no body)" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Duration parseRetryAfter(Optional<String> header) {
        try {
            return Duration.ofSeconds(
                    Math.max(0, Long.parseLong(header.orElse("1").strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private <T> T readJson(HttpResponse<String> response, Class<T> type) {
        if (type == Void.class) {
            return null;
        }
        try {
            return Json.mapper().readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new UpstreamException.BadResponse(
                    upstream,
                    0,
                    upstream + " answered with JSON that does not match " + type.getSimpleName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    private String readBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UpstreamException.Unavailable(upstream, "the response of " + upstream + " broke off: " + e, e);
        }
    }

    private void record(String method, String outcome, long start) {
        metrics.timer(
                        "http.client.requests",
                        "Calls to upstream services",
                        "upstream",
                        upstream,
                        "method",
                        method,
                        "outcome",
                        outcome)
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    private static Duration jitter(Duration backoff) {
        long millis = backoff.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
