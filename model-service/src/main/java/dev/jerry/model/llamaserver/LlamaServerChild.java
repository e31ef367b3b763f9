package dev.jerry.model.llamaserver;

import dev.jerry.kit.config.Secret;
import dev.jerry.model.llama.LlamaCppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running {@code llama-server}: a private port on loopback, an API key of its own (passed in its environment, so
 * it shows in no process list), the working directory, log and slot cache under the data directory.
 *
 * <p>It runs under a small {@code sh} wrapper whose standard input is a pipe from this JVM: when the JVM ends in any
 * way, even SIGKILL, the pipe closes and the wrapper stops llama-server, so a child never outlives model-service.
 */
final class LlamaServerChild implements AutoCloseable {
    /** Runs "$@" in the background; stops it on TERM, or when stdin (a pipe from the JVM) reaches its end. */
    private static final String WRAPPER = """
            exec 3<&0
            "$@" </dev/null 3<&- & child=$!
            echo "$child" > llama-server.pid
            trap 'kill -TERM $child 2>/dev/null' TERM INT HUP
            (while read -r _ <&3; do :; done; kill -TERM $child 2>/dev/null) &
            watcher=$!
            while :; do wait $child; status=$?; kill -0 $child 2>/dev/null || break; done
            kill $watcher 2>/dev/null
            exit $status
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Process wrapper;
    private final long pid;
    private final int port;
    private final Secret apiKey;
    private final Path log;

    private LlamaServerChild(Process wrapper, long pid, int port, Secret apiKey, Path log) {
        this.wrapper = wrapper;
        this.pid = pid;
        this.port = port;
        this.apiKey = apiKey;
        this.log = log;
    }

    /** Starts llama-server for {@code model} in {@code workDir}; returns once the process runs (not yet healthy). */
    static LlamaServerChild start(Path binary, LlamaCppConfig model, int slots, Path workDir) throws IOException {
        Files.createDirectories(workDir.resolve("slots"));
        Path log = workDir.resolve("llama-server.log");
        if (Files.exists(log)) {
            Files.move(log, workDir.resolve("llama-server.previous.log"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path pidFile = workDir.resolve("llama-server.pid");
        Files.deleteIfExists(pidFile);
        int port = freePort();
        Secret apiKey = new Secret(randomKey());
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "llama-server"));
        command.addAll(List.of(
                binary.toString(),
                "--model",
                model.modelPath().toAbsolutePath().toString(),
                "--alias",
                model.modelName(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                // each slot gets the model's whole context
                "--ctx-size",
                Integer.toString(model.contextTokens() * slots),
                "--parallel",
                Integer.toString(slots),
                "--threads",
                Integer.toString(model.threads()),
                "--n-gpu-layers",
                Integer.toString(model.gpuLayers()),
                "--jinja",
                "--no-webui",
                "--slot-save-path",
                workDir.resolve("slots").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().put("LLAMA_API_KEY", apiKey.value());
        // a busy-waiting OpenMP pool would take the CPU from the JVM and from other slots
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
        Process wrapper = builder.start();
        long pid = awaitPid(pidFile, wrapper);
        return new LlamaServerChild(wrapper, pid, port, apiKey, log);
    }

    private static long awaitPid(Path pidFile, Process wrapper) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            if (!wrapper.isAlive()) {
                break;
            }
            sleep(Duration.ofMillis(20));
        }
        wrapper.destroyForcibly();
        throw new IOException("did not start (its wrapper exited with status " + exitCode(wrapper) + ")");
    }

    private static int exitCode(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until {@code /health} answers 200 (the model is loaded).
     *
     * @throws IOException when the process exits first (with its reason and the end of its log) or time runs out
     */
    void awaitHealthy(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(baseUrl().resolve("/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            Optional<String> exit = exitReason();
            if (exit.isPresent()) {
                throw new IOException(exit.get() + " while loading the model: " + logTail());
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for llama-server", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IOException("did not become healthy within " + timeout.toSeconds() + " s: " + logTail());
    }

    /** Blocks until the process ends; returns why, in words. */
    String awaitExit() throws InterruptedException {
        return describe(wrapper.waitFor());
    }

    /** Why the process ended, if it has ended within {@code wait}. */
    Optional<String> awaitExit(Duration wait) {
        try {
            return Optional.of(describe(
                    wrapper.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS).exitValue()));
        } catch (TimeoutException stillRunning) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of("ended: " + e.getCause().getMessage());
        }
    }

    Optional<String> exitReason() {
        return wrapper.isAlive() ? Optional.empty() : Optional.of(describe(wrapper.exitValue()));
    }

    private static String describe(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = switch (signal) {
                case 6 -> " (SIGABRT: llama.cpp aborted)";
                case 9 -> " (SIGKILL: killed, e.g. out of memory)";
                case 11 -> " (SIGSEGV: llama.cpp crashed)";
                case 15 -> " (SIGTERM)";
                default -> "";
            };
            return "was killed by signal " + signal + name;
        }
        return "exited with status " + status;
    }

    /** The last lines of the log, for error messages: llama.cpp says there why it could not load a model. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return String.join(" | ", tail) + " (log: " + log + ")";
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The wrapper's stdin: while it is open, the child lives; it closes with this JVM. */
    java.io.OutputStream lifeline() {
        return wrapper.getOutputStream();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Secret apiKey() {
        return apiKey;
    }

    long pid() {
        return pid;
    }

    int port() {
        return port;
    }

    /** SIGTERM (llama-server finishes its slots and exits), then SIGKILL after a few seconds. */
    @Override
    public void close() {
        wrapper.destroy();
        try {
            if (!wrapper.waitFor(5, TimeUnit.SECONDS)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                wrapper.destroyForcibly();
                wrapper.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            wrapper.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
