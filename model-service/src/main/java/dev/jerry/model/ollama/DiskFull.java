package dev.jerry.model.ollama;

import java.util.Locale;

/**
 * Tells a pull that failed because the node's disk is full from other failures, by the node's own words: Ollama
 * passes on the operating system's "no space left on device" when a blob cannot be written.
 */
public final class DiskFull {
    private DiskFull() {}

    /** Whether {@code error}, as a node reported it, says its disk is full. */
    public static boolean in(String error) {
        if (error == null) {
            return false;
        }
        String text = error.toLowerCase(Locale.ROOT);
        return text.contains("no space left on device")
                || text.contains("disk full")
                || text.contains("not enough space")
                || text.contains("insufficient") && (text.contains("space") || text.contains("storage"));
    }
}
