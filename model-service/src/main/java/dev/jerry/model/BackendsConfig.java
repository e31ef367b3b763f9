package dev.jerry.model;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.model.download.PresetConfig;
import dev.jerry.model.download.Presets;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.openai.OpenAiConfig;
import java.util.Optional;

/**
 * Where chat models come from; any combination may be set.
 *
 * @param llama a GGUF file run in-process ({@code JERRY_MODEL_PATH})
 * @param ollama Ollama nodes ({@code JERRY_OLLAMA_URL})
 * @param openai an OpenAI-compatible server ({@code JERRY_OPENAI_URL})
 * @param preset a model to download and run in-process, by default when none of the above is set
 * @param embedding where embeddings come from
 */
public record BackendsConfig(
        Optional<LlamaCppConfig> llama,
        Optional<OllamaConfig> ollama,
        Optional<OpenAiConfig> openai,
        Optional<PresetConfig> preset,
        EmbeddingConfig embedding) {

    public BackendsConfig {
        if (embedding.source() == EmbeddingConfig.Source.OLLAMA && ollama.isEmpty()) {
            throw new ConfigException(EmbeddingConfig.BACKEND, "is ollama, but " + OllamaConfig.URL + " is not set");
        }
        if (embedding.source() == EmbeddingConfig.Source.OPENAI && openai.isEmpty()) {
            throw new ConfigException(EmbeddingConfig.BACKEND, "is openai, but " + OpenAiConfig.URL + " is not set");
        }
    }

    public static BackendsConfig none() {
        return new BackendsConfig(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), EmbeddingConfig.inProcess());
    }

    /** Only Ollama nodes (and in-process embeddings). */
    public static BackendsConfig ollama(OllamaConfig nodes) {
        return new BackendsConfig(
                Optional.empty(), Optional.of(nodes), Optional.empty(), Optional.empty(), EmbeddingConfig.inProcess());
    }

    /** Only an OpenAI-compatible server (and in-process embeddings). */
    public static BackendsConfig openAi(OpenAiConfig server) {
        return new BackendsConfig(
                Optional.empty(), Optional.empty(), Optional.of(server), Optional.empty(), EmbeddingConfig.inProcess());
    }

    /** These backends, with embeddings from elsewhere. */
    public BackendsConfig withEmbedding(EmbeddingConfig source) {
        return new BackendsConfig(llama, ollama, openai, preset, source);
    }

    public boolean any() {
        return llama.isPresent() || ollama.isPresent() || openai.isPresent() || preset.isPresent();
    }

    public static BackendsConfig fromEnv(Env env) {
        Optional<LlamaCppConfig> llama = LlamaCppConfig.fromEnv(env);
        Optional<OllamaConfig> ollama = OllamaConfig.fromEnv(env);
        Optional<OpenAiConfig> openai = OpenAiConfig.fromEnv(env);
        boolean given = llama.isPresent() || ollama.isPresent() || openai.isPresent();
        return new BackendsConfig(
                llama,
                ollama,
                openai,
                PresetConfig.fromEnv(env, given, Presets.shipped()),
                EmbeddingConfig.fromEnv(env));
    }
}
