package dev.jerry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: from {@code -Djerry.repo.root} (set by the build), else by walking up to it. */
public final class RepoPaths {
    private RepoPaths() {}

    public static Path root() {
        String configured = System.getProperty("jerry.repo.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "configs"))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("configs/chroma/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Jerry repository root (configs/chroma/package.json) above "
                + Path.of("").toAbsolutePath());
    }
}
