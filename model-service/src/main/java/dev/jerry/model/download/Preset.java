package dev.jerry.model.download;

import java.net.URI;

/**
 * A downloadable model: one line of {@code configs/models/presets.json}.
 *
 * @param sha256 the pinned digest, or null when none is known
 * @param minMemoryGb the machine memory from which {@code auto} may choose it
 * @param ollamaTag the same model's name on Ollama
 */
public record Preset(
        String name,
        String file,
        URI url,
        String sha256,
        Long sizeBytes,
        String sha256Source,
        int contextTokens,
        double minMemoryGb,
        String ollamaTag) {
    public boolean pinned() {
        return sha256 != null && !sha256.isBlank();
    }
}
