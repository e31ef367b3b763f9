package dev.jerry.model.tasks;

import dev.jerry.model.ollama.OllamaBackend;

/**
 * A node a model can be put on, as the distributor needs it.
 *
 * @param offlineReason why it is offline (its last error), or null when it is online
 */
public record PullNode(String name, boolean online, String offlineReason, OllamaBackend backend) {}
