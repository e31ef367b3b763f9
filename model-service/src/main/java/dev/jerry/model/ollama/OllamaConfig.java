package dev.jerry.model.ollama;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Ollama nodes as backends.
 *
 * @param urls {@code JERRY_OLLAMA_URL}: one or more nodes, comma-separated
 * @param token {@code JERRY_OLLAMA_TOKEN}: a bearer token for nodes behind an authenticating proxy
 * @param requiredModels {@code JERRY_OLLAMA_MODELS}: chat models every node must have; pulled at start-up if missing
 * @param autoPull {@code JERRY_OLLAMA_AUTO_PULL}: pull required models at start-up and requested models on demand
 * @param pullTimeout {@code JERRY_OLLAMA_PULL_TIMEOUT}: longest a single pull may take
 * @param generationTimeout {@code JERRY_GENERATION_TIMEOUT}: longest a single answer may take
 */
public record OllamaConfig(
        List<URI> urls,
        Optional<Secret> token,
        List<String> requiredModels,
        boolean autoPull,
        Duration pullTimeout,
        Duration generationTimeout) {
    public static final String URL = "JERRY_OLLAMA_URL";
    public static final String DEFAULT_MODEL = "llama3.2:3b";

    public OllamaConfig {
        urls = List.copyOf(urls);
        requiredModels = List.copyOf(requiredModels);
        if (urls.isEmpty()) {
            throw new ConfigException(URL, "needs at least one URL");
        }
    }

    /** The same settings for one node at {@code url}, with its own token when it has one. */
    public OllamaConfig forNode(URI url, Optional<Secret> nodeToken) {
        return new OllamaConfig(
                List.of(url),
                nodeToken.isPresent() ? nodeToken : token,
                requiredModels,
                autoPull,
                pullTimeout,
                generationTimeout);
    }

    /** A node registered while no node is configured: no required models, pulls on demand, default timeouts. */
    public static OllamaConfig defaults(URI url, Optional<Secret> token) {
        return new OllamaConfig(List.of(url), token, List.of(), true, Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public static Optional<OllamaConfig> fromEnv(Env env) {
        Optional<String> raw = env.get(URL);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        List<URI> urls = new ArrayList<>();
        for (String part : raw.get().split(",")) {
            String url = part.strip().replaceAll("/+$", "");
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(URL, "each entry must be an http(s) URL, got '" + part.strip() + "'");
                }
                urls.add(uri);
            } catch (URISyntaxException e) {
                throw new ConfigException(URL, "'" + part.strip() + "' is not a valid URL");
            }
        }
        List<String> models = Arrays.stream(
                        env.string("JERRY_OLLAMA_MODELS", DEFAULT_MODEL).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        return Optional.of(new OllamaConfig(
                urls,
                env.secret("JERRY_OLLAMA_TOKEN"),
                models,
                env.bool("JERRY_OLLAMA_AUTO_PULL", true),
                env.duration("JERRY_OLLAMA_PULL_TIMEOUT", Duration.ofMinutes(5)),
                env.duration("JERRY_GENERATION_TIMEOUT", Duration.ofMinutes(5))));
    }
}
