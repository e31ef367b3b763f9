package dev.jerry.system;

import dev.jerry.testing.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files of the repository under test, and the shared docs beside it. */
final class Repo {
    private Repo() {}

    static Path root() {
        return RepoPaths.root();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../shared/ARCHITECTURE.md}: beside the clone on the project machines and in CI, absent elsewhere. */
    static Optional<Path> architecture() {
        Path file = root().resolve("../shared/ARCHITECTURE.md").normalize();
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
