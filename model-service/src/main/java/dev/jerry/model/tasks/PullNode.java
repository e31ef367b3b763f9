package dev.jerry.model.tasks;

import dev.jerry.model.ollama.OllamaBackend;
import java.util.OptionalLong;

/**
 * A node a model can be put on, as the distributor and placement need it.
 *
 * @param offlineReason why it is offline (its last error), or null when it is online
 * @param vramBytes its VRAM, declared or reported, when known
 */
public record PullNode(
        String name, boolean online, String offlineReason, OptionalLong vramBytes, OllamaBackend backend) {}
