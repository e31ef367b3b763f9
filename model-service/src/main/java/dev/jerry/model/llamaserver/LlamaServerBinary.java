package dev.jerry.model.llamaserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@code llama-server} binary comes from, in this order, each step logged: {@code JERRY_LLAMA_SERVER}, then
 * {@code llama-server} on the {@code PATH}, then Jerry's own build, cached per llama.cpp version under the data
 * directory ({@code llama.cpp/<version>/bin/llama-server}) and built once from the pinned source by
 * {@code scripts/build-llama-server.sh}, which ships inside this jar.
 */
public final class LlamaServerBinary {
    private static final Logger log = LoggerFactory.getLogger(LlamaServerBinary.class);
    static final String SCRIPT = "build-llama-server.sh";

    private LlamaServerBinary() {}

    /** Finds the binary, building it when nothing else is there (minutes, once per version). */
    public static Path locate(LlamaServerConfig config) throws IOException {
        if (config.binary().isPresent()) {
            log.info(
                    "llama-server: {} = {}",
                    LlamaServerConfig.BINARY,
                    config.binary().get());
            return config.binary().get();
        }
        log.info("llama-server: {} is not set", LlamaServerConfig.BINARY);
        Optional<Path> onPath = onPath(config.searchPath());
        if (onPath.isPresent()) {
            log.info("llama-server: found on the PATH: {}", onPath.get());
            return onPath.get();
        }
        log.info("llama-server: not on the PATH; using Jerry's own build under {}", config.dataDir());
        return build(config.dataDir());
    }

    static Optional<Path> onPath(String path) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "llama-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the build script (a no-op that prints the path when the build exists), logging its progress lines.
     *
     * @throws IOException with the script's last words (e.g. "cmake is missing") when it fails
     */
    static Path build(Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("llama.cpp"));
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = LlamaServerBinary.class.getResourceAsStream("/llama-server/" + SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from model-service's jar");
            }
            Path tmp = dir.resolve(SCRIPT + ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Process process = new ProcessBuilder("bash", script.toString(), dataDir.toString())
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        // progress goes to stderr, the binary's path is the last line of stdout
        Thread.ofVirtual().name("llama-server-build-log").start(() -> {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                err.lines().forEach(line -> log.info("{}", line));
            } catch (IOException ignored) {
                // the build ended
            }
        });
        String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while building llama-server", e);
        }
        if (status != 0 || path.isEmpty()) {
            throw new IOException("building llama-server failed (see the build-llama-server lines above); set "
                    + LlamaServerConfig.BINARY + " to a llama-server binary or install one on the PATH");
        }
        String last = path.substring(path.lastIndexOf('\n') + 1);
        log.info("llama-server: Jerry's build {}", last);
        return Path.of(last);
    }
}
