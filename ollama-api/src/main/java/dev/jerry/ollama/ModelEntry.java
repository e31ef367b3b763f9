package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One model in {@code /api/tags} (on disk) or {@code /api/ps} (loaded: with {@code expires_at} and
 * {@code size_vram}). Times are RFC 3339 strings, as Ollama writes them.
 *
 * @param digest the SHA-256 of the model in hex (Ollama: of its manifest)
 * @param capabilities not in Ollama's listing; model-service adds it so a client can tell chat from embedding models
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelEntry(
        String name,
        String model,
        String modifiedAt,
        long size,
        String digest,
        ModelDetails details,
        String expiresAt,
        Long sizeVram,
        List<String> capabilities) {
    /** An entry of {@code /api/tags}. */
    public static ModelEntry onDisk(
            String name, String modifiedAt, long size, String digest, ModelDetails details, List<String> capabilities) {
        String tagged = ModelName.tagged(name);
        return new ModelEntry(tagged, tagged, modifiedAt, size, digest, details, null, null, capabilities);
    }
}
