package dev.jerry.model.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The nodes registered through the API, in one JSON file under model-service's data directory: written whole to a
 * temporary file then moved into place (a crash leaves the old or the new list, never half of one), readable by its
 * owner only because it may hold nodes' tokens. Nothing is written until a node is registered.
 */
final class NodeStore {
    private static final TypeReference<List<NodeSpec>> LIST = new TypeReference<>() {};

    private final Path file;

    NodeStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    List<NodeSpec> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(file.toFile(), LIST);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the registered nodes from " + file, e);
        }
    }

    void save(List<NodeSpec> nodes) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(
                    temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(nodes));
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are what protects it
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the registered nodes to " + file, e);
        }
    }
}
