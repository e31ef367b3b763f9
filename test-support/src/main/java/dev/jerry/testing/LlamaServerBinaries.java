package dev.jerry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The upstream {@code llama-server} (and its sibling tools) that tests and benches run: {@code JERRY_LLAMA_SERVER},
 * else the build that {@code scripts/build-llama-server.sh} caches in the checkout's {@code .jerry/llama.cpp/}. Tests
 * never build it themselves (minutes): {@code .ci/run} builds it first. Without it the tests that need it are
 * skipped, except under CI ({@code CI} set), where its absence is a failure.
 */
public final class LlamaServerBinaries {
    private LlamaServerBinaries() {}

    /** The llama-server binary, or a skipped (outside CI) or failed (under CI) test. */
    public static Path require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String message = "no llama-server: set JERRY_LLAMA_SERVER or run scripts/build-llama-server.sh (expected "
                + cached("llama-server") + ")";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    public static Optional<Path> find() {
        String configured = System.getenv("JERRY_LLAMA_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        Path cached = cached("llama-server");
        return Files.isExecutable(cached) ? Optional.of(cached) : Optional.empty();
    }

    /** A tool of Jerry's cached build ({@code llama-bench}, {@code llama-quantize}), where it would be. */
    public static Path cached(String tool) {
        return RepoPaths.root()
                .resolve(".jerry/llama.cpp")
                .resolve(version())
                .resolve("bin")
                .resolve(tool);
    }

    /** The pinned llama.cpp version, as the build script names its cache directory. */
    public static String version() {
        Path script = RepoPaths.root().resolve("scripts/build-llama-server.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " --version failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
