package dev.jerry.model.llama;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The in-process llama.cpp backend: a GGUF file and how to run it. The file is checked here (exists, readable, GGUF
 * magic) because llama.cpp given a bad file can crash the JVM later instead of failing cleanly.
 *
 * @param modelPath {@code JERRY_MODEL_PATH}
 * @param modelName {@code JERRY_MODEL_NAME}, default: the file name without {@code .gguf}
 * @param contextTokens {@code JERRY_LLAMA_CONTEXT}
 * @param threads {@code JERRY_LLAMA_THREADS}
 * @param gpuLayers {@code JERRY_LLAMA_GPU_LAYERS}
 * @param generationTimeout {@code JERRY_GENERATION_TIMEOUT}: longest a single answer may take
 */
public record LlamaCppConfig(
        Path modelPath, String modelName, int contextTokens, int threads, int gpuLayers, Duration generationTimeout) {
    public static final String MODEL_PATH = "JERRY_MODEL_PATH";
    private static final byte[] MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);

    public LlamaCppConfig {
        if (!Files.isRegularFile(modelPath)) {
            throw new ConfigException(MODEL_PATH, "no such file: " + modelPath);
        }
        try (InputStream in = Files.newInputStream(modelPath)) {
            if (!Arrays.equals(in.readNBytes(4), MAGIC)) {
                throw new ConfigException(MODEL_PATH, modelPath + " is not a GGUF file (no GGUF header)");
            }
        } catch (IOException e) {
            throw new ConfigException(MODEL_PATH, "cannot read " + modelPath + ": " + e.getMessage());
        }
        if (!modelName.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")) {
            throw new ConfigException(
                    "JERRY_MODEL_NAME", "must be letters, digits and . _ : / -, got '" + modelName + "'");
        }
    }

    public static Optional<LlamaCppConfig> fromEnv(Env env) {
        Optional<String> path = env.get(MODEL_PATH);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path modelPath = Path.of(path.get());
        String fileName = modelPath.getFileName().toString();
        String defaultName = fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return Optional.of(new LlamaCppConfig(
                modelPath,
                env.string("JERRY_MODEL_NAME", defaultName),
                env.integer("JERRY_LLAMA_CONTEXT", 4096, 128, 1 << 20),
                env.integer("JERRY_LLAMA_THREADS", Runtime.getRuntime().availableProcessors(), 1, 512),
                env.integer("JERRY_LLAMA_GPU_LAYERS", 0, 0, 1000),
                env.duration("JERRY_GENERATION_TIMEOUT", Duration.ofMinutes(5))));
    }
}
