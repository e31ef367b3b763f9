package dev.jerry.model.openai;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An OpenAI-compatible server as a backend (vLLM, llama-server, LM Studio, a hosted API).
 *
 * @param url {@code JERRY_OPENAI_URL}: the API base, e.g. {@code http://vllm:8000/v1}
 * @param apiKey {@code JERRY_OPENAI_API_KEY} (or {@code _FILE})
 * @param models {@code JERRY_OPENAI_MODELS}: the models to serve from it (comma-separated); required
 */
public record OpenAiConfig(URI url, Optional<Secret> apiKey, List<String> models, Duration generationTimeout) {
    public static final String URL = "JERRY_OPENAI_URL";

    public OpenAiConfig {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new ConfigException("JERRY_OPENAI_MODELS", "must name the models to use from " + url);
        }
    }

    public static Optional<OpenAiConfig> fromEnv(Env env) {
        return env.url(URL)
                .map(url -> new OpenAiConfig(
                        url,
                        env.secret("JERRY_OPENAI_API_KEY"),
                        Arrays.stream(env.string("JERRY_OPENAI_MODELS", "").split(","))
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                        env.duration("JERRY_GENERATION_TIMEOUT", Duration.ofMinutes(5))));
    }
}
