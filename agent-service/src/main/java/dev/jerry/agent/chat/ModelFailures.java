package dev.jerry.agent.chat;

import dev.jerry.kit.client.UpstreamException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Every way a call to model-service fails, translated once into Jerry's upstream errors, in words a user can act on:
 * LangChain4j's exception types ({@code dev.langchain4j.exception.*}), model-service's refusals with their status and
 * {@code Retry-After} ({@link QueueWatch.Refusal}), errors inside the stream, and connections that cannot be made.
 * Never an exception class name.
 */
final class ModelFailures {
    static final String UPSTREAM = "model-service";
    static final String PREFIX = "the language model could not answer: ";
    /** When model-service says it is busy without saying for how long. */
    static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);

    static final String NO_MODEL_ADVICE =
            "set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an Ollama server, then restart model-service";

    private final URI url;
    private final String model;

    ModelFailures(URI url, String model) {
        this.url = url;
        this.model = model;
    }

    /** The refusal model-service answered, if that is what {@code failure} is. */
    static Optional<QueueWatch.Refusal> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QueueWatch.Refusal r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** model-service's refusal of a prompt over the context (as a 400 or inside the stream), with its numbers. */
    static Optional<TokenBudget.Overflow> overflow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Optional<TokenBudget.Overflow> overflow =
                    TokenBudget.Overflow.in(t instanceof QueueWatch.Refusal r ? r.detail() : t.getMessage());
            if (overflow.isPresent()) {
                return overflow;
            }
        }
        return Optional.empty();
    }

    RuntimeException translate(Throwable failure) {
        return translate(failure, false);
    }

    /** {@code images}: the request showed the model the conversation's images (a 413 is then about them). */
    RuntimeException translate(Throwable failure, boolean images) {
        if (failure instanceof UpstreamException u) {
            return u;
        }
        if (failure instanceof Agent.ClientGoneException gone) {
            return gone;
        }
        Optional<QueueWatch.Refusal> refusal = refusal(failure);
        if (refusal.isPresent()) {
            return refused(refusal.get(), images);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException) {
                return new UpstreamException.Timeout(
                        UPSTREAM, PREFIX + "model-service did not answer in time", failure);
            }
            if (t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return new UpstreamException.Unavailable(
                        UPSTREAM,
                        PREFIX + "model-service is not reachable (yet) at " + url
                                + "; start it, or set JERRY_MODEL_SERVICE_URL to where it runs",
                        failure);
            }
        }
        return switch (failure) {
            case RateLimitException e ->
                new UpstreamException.Busy(UPSTREAM, "model-service is busy; try again shortly", DEFAULT_RETRY);
            case AuthenticationException e -> tokenRejected(failure);
            case ModelNotFoundException e -> modelMissing(failure);
            case InvalidRequestException e ->
                new UpstreamException.BadResponse(
                        UPSTREAM, 400, PREFIX + "model-service refused the request: " + words(e), failure);
            default -> unreadable(failure);
        };
    }

    private RuntimeException refused(QueueWatch.Refusal r, boolean images) {
        String detail = words(r.detail());
        return switch (r.statusCode()) {
            case 429 ->
                new UpstreamException.Busy(
                        UPSTREAM,
                        "model-service is busy: " + detail,
                        r.retryAfter().orElse(DEFAULT_RETRY));
            case 401, 403 -> tokenRejected(r);
            case 404 -> modelMissing(r);
            case 413 -> images ? tooLarge(detail, r) : otherRefusal(r, detail);
            case 503 ->
                noModel(detail, r).isPresent()
                        ? noModel(detail, r).get()
                        : r.retryAfter().isPresent()
                                ? new UpstreamException.Busy(
                                        UPSTREAM,
                                        PREFIX + detail,
                                        r.retryAfter().get())
                                : new UpstreamException.Unavailable(UPSTREAM, PREFIX + detail, r);
            case 504 -> new UpstreamException.Timeout(UPSTREAM, PREFIX + detail, r);
            default -> otherRefusal(r, detail);
        };
    }

    private static UpstreamException otherRefusal(QueueWatch.Refusal r, String detail) {
        return new UpstreamException.BadResponse(
                UPSTREAM,
                r.statusCode(),
                PREFIX
                        + (r.statusCode() < 500 ? "model-service refused the request: " : "model-service failed: ")
                        + detail,
                r);
    }

    /**
     * model-service refused the request's size: the images of the conversation (the only large part a turn sends)
     * are over its limit, which model-service's own words name.
     */
    private static UpstreamException tooLarge(String detail, Throwable cause) {
        return new UpstreamException.BadResponse(
                UPSTREAM,
                413,
                PREFIX + "the request, with the images attached to this conversation, is larger than model-service "
                        + "takes (" + detail + "); forget the conversation to drop them, or raise "
                        + "JERRY_MAX_IMAGE_BODY_BYTES on model-service",
                cause);
    }

    private static UpstreamException tokenRejected(Throwable cause) {
        return UpstreamException.Unavailable.notConfigured(
                UPSTREAM,
                PREFIX + "model-service rejects agent-service's token; set JERRY_MODEL_SERVICE_TOKEN (or"
                        + " JERRY_MODEL_SERVICE_TOKEN_FILE) to a token listed in model-service's JERRY_AUTH_TOKENS",
                cause);
    }

    private UpstreamException modelMissing(Throwable cause) {
        return new UpstreamException.BadResponse(
                UPSTREAM,
                404,
                PREFIX + "model-service does not serve the model '" + model
                        + "'; set JERRY_AGENT_MODEL to one it lists at /api/tags",
                cause);
    }

    /** An error inside the stream or anything else: model-service's own words when there are some. */
    private static UpstreamException unreadable(Throwable failure) {
        String said = words(failure);
        return noModel(said, failure)
                .orElseGet(() -> new UpstreamException.Unavailable(UPSTREAM, PREFIX + said, failure));
    }

    /** model-service has no model to serve (none configured, or its preset could not be downloaded). */
    private static Optional<UpstreamException> noModel(String said, Throwable cause) {
        if (!said.contains("JERRY_MODEL_PATH") && !said.contains("could not be downloaded")) {
            return Optional.empty();
        }
        // the advice first, so that a clipped message still says what to do
        String why = said.replaceAll("[;:,]? *set JERRY_MODEL_PATH[^;]*", "").strip();
        return Optional.of(UpstreamException.Unavailable.notConfigured(
                UPSTREAM,
                "no language model is available; " + NO_MODEL_ADVICE + " (model-service: " + why + ")",
                cause));
    }

    /** The first message along the causes, without Java class names. */
    static String words(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t instanceof QueueWatch.Refusal r ? r.detail() : t.getMessage();
            if (m != null && !m.isBlank()) {
                return words(m);
            }
        }
        return "model-service gave no details";
    }

    /** Strips {@code java.net.ConnectException: }-style prefixes that Java puts in front of messages. */
    static String words(String message) {
        String text = message.replaceAll("(?:\\b[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?", "")
                .replaceAll("\\s+", " ")
                .strip();
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() ? "model-service gave no details" : text;
    }
}
