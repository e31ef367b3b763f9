package dev.jerry.model.download;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The in-process model to download when no GGUF file and no Ollama server is given.
 *
 * @param preset {@code JERRY_MODEL_PRESET}: a preset name, {@code auto} (by machine memory) or {@code none}
 * @param modelsDir {@code JERRY_MODELS_DIR}: where models are downloaded
 * @param sha256 the digest to verify: the preset's, or {@code JERRY_MODEL_SHA256}
 * @param threads {@code JERRY_LLAMA_THREADS}
 */
public record PresetConfig(Preset preset, Path modelsDir, String sha256, int threads, Duration generationTimeout) {
    public static final String PRESET = "JERRY_MODEL_PRESET";

    public static Optional<PresetConfig> fromEnv(Env env, boolean otherBackendConfigured, Presets presets) {
        String choice = env.string(PRESET, otherBackendConfigured ? "none" : "auto");
        if (choice.equals("none")) {
            return Optional.empty();
        }
        Preset preset = choice.equals("auto")
                ? presets.chooseFor(Presets.machineMemory())
                : presets.named(choice)
                        .orElseThrow(() -> new ConfigException(
                                PRESET,
                                "unknown preset '" + choice + "'; known: auto, none, "
                                        + String.join(
                                                ", ",
                                                presets.all().stream()
                                                        .map(Preset::name)
                                                        .toList())));
        String sha256 = env.get("JERRY_MODEL_SHA256").orElse(preset.sha256());
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new ConfigException(
                    "JERRY_MODEL_SHA256",
                    "preset '" + preset.name()
                            + "' has no pinned checksum: set JERRY_MODEL_SHA256 to the file's SHA-256 (64 hex digits)");
        }
        Path dir = Path.of(env.string(
                "JERRY_MODELS_DIR",
                Path.of(System.getProperty("user.home"), ".cache", "jerry", "models")
                        .toString()));
        return Optional.of(new PresetConfig(
                preset,
                dir,
                sha256,
                env.integer("JERRY_LLAMA_THREADS", Runtime.getRuntime().availableProcessors(), 1, 512),
                env.duration("JERRY_GENERATION_TIMEOUT", Duration.ofMinutes(5))));
    }
}
