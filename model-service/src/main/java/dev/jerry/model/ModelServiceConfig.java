package dev.jerry.model;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.model.download.PresetConfig;
import dev.jerry.model.download.Presets;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.ollama.OllamaConfig;
import java.util.Optional;

/**
 * model-service's configuration, read once at start-up.
 *
 * @param llama the in-process llama.cpp backend, when {@code JERRY_MODEL_PATH} is set
 * @param ollama Ollama nodes, when {@code JERRY_OLLAMA_URL} is set
 * @param preset a model to download and run in-process, by default when neither of the two above is set
 * @param defaultMaxTokens {@code JERRY_DEFAULT_MAX_TOKENS}: tokens generated when a request does not say
 * @param fallbackModel {@code JERRY_FALLBACK_MODEL}: answers when the requested model's backend is down or busy
 */
public record ModelServiceConfig(
        ServerConfig server,
        Optional<LlamaCppConfig> llama,
        Optional<OllamaConfig> ollama,
        Optional<PresetConfig> preset,
        int defaultMaxTokens,
        Optional<String> fallbackModel) {
    public static final String SERVICE = "model";
    public static final int DEFAULT_PORT = 8081;

    public ModelServiceConfig {
        if (fallbackModel.isPresent() && llama.isEmpty() && ollama.isEmpty() && preset.isEmpty()) {
            throw new ConfigException(
                    "JERRY_FALLBACK_MODEL", "is set, but no backend is (JERRY_MODEL_PATH or " + OllamaConfig.URL + ")");
        }
    }

    public static ModelServiceConfig fromEnv(Env env) {
        Optional<LlamaCppConfig> llama = LlamaCppConfig.fromEnv(env);
        Optional<OllamaConfig> ollama = OllamaConfig.fromEnv(env);
        return new ModelServiceConfig(
                ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT),
                llama,
                ollama,
                PresetConfig.fromEnv(env, llama.isPresent() || ollama.isPresent(), Presets.shipped()),
                env.integer("JERRY_DEFAULT_MAX_TOKENS", 512, 1, 1 << 20),
                env.get("JERRY_FALLBACK_MODEL"));
    }
}
