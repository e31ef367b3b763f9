package dev.jerry.model.llama;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.model.backend.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /api/tags}, {@code /api/show} and {@code /api/ps} say about a local GGUF model, whichever engine runs it:
 * its size, SHA-256, modification time and what its header tells. A large file takes seconds to hash, so that starts
 * at once, in the background, and happens only once.
 */
public final class GgufDescription {
    private static final Logger log = LoggerFactory.getLogger(GgufDescription.class);

    private final LlamaCppConfig config;
    private final FutureTask<ModelFile> file;

    public GgufDescription(LlamaCppConfig config) {
        this.config = config;
        this.file = new FutureTask<>(() -> describe(config));
        Thread.ofVirtual().name("model-digest").start(file);
    }

    private static ModelFile describe(LlamaCppConfig config) throws IOException {
        Path path = config.modelPath();
        var header = GgufHeader.read(path);
        return new ModelFile(
                config.modelName(),
                Files.size(path),
                Sha256.hexOfFile(path),
                Files.getLastModifiedTime(path).toInstant(),
                header.map(GgufHeader::architecture).orElse(null),
                header.map(GgufHeader::sizeLabel).orElse(null),
                header.map(GgufHeader::quantization).orElse(null),
                null,
                null);
    }

    /** The GGUF file, or nothing when it cannot be read. */
    public List<ModelFile> files() {
        try {
            return List.of(file.get());
        } catch (ExecutionException e) {
            log.warn("could not read {}: {}", config.modelPath(), e.getCause().toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The model as loaded for the life of the process: it occupies its file's size (in VRAM only with GPU layers). */
    public List<ModelFile> loaded() {
        return files().stream()
                .map(f -> new ModelFile(
                        f.name(),
                        f.size(),
                        f.digest(),
                        f.modifiedAt(),
                        f.family(),
                        f.parameterSize(),
                        f.quantization(),
                        null,
                        config.gpuLayers() == 0 ? 0L : null))
                .toList();
    }
}
