package dev.jerry.model.backend;

import java.time.Instant;

/**
 * What is known about one model's weights, as Ollama's {@code /api/tags}, {@code /api/show} and {@code /api/ps} report
 * it. Unknown parts are null.
 *
 * @param size bytes on disk (or, for a loaded model, in memory)
 * @param digest the SHA-256 of the weights in hex, or the digest the Ollama node reports
 * @param family the architecture ({@code llama}, {@code qwen2}, {@code bert}...)
 * @param expiresAt for a loaded model, when it will be unloaded; null when it stays loaded
 * @param sizeVram for a loaded model, the bytes of it in GPU memory
 */
public record ModelFile(
        String name,
        long size,
        String digest,
        Instant modifiedAt,
        String family,
        String parameterSize,
        String quantization,
        Instant expiresAt,
        Long sizeVram) {}
