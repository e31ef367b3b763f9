package dev.jerry.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Chroma server (the pinned npm package in {@code configs/chroma}) as a child process on a free loopback port
 * and its own data directory. Installs the package first if it is missing. Stopped by its own PID.
 */
public final class ChromaServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChromaServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Path logFile;

    private ChromaServer(Process process, int port, Path dataDir, Path logFile) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /** Starts a server on a fresh temporary data directory. */
    public static ChromaServer start() throws IOException {
        return start(Files.createTempDirectory("jerry-chroma-"));
    }

    public static ChromaServer start(Path dataDir) throws IOException {
        return start(dataDir, Ports.free());
    }

    /** Starts a server on {@code port} over {@code dataDir}: after {@link #kill()}, the same server comes back. */
    public static ChromaServer start(Path dataDir, int port) throws IOException {
        Path binary = binary();
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "run",
                        "--path",
                        dataDir.toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        ChromaServer server = new ChromaServer(process, port, dataDir, logFile);
        // JUnit closes the server after the last test; this covers a JVM that ends any other way
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "chroma-" + port + "-reaper"));
        server.awaitHeartbeat();
        log.info("Chroma started on port {} (pid {}, data {})", port, process.pid(), dataDir);
        return server;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would: the data directory stays, for a server started again over it. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 10 s; the data directory is removed. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteRecursively(dataDir);
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a leftover log in the temp dir is harmless
        }
        log.info("Chroma on port {} stopped", port);
    }

    private void awaitHeartbeat() throws IOException {
        URI heartbeat = baseUrl().resolve("/api/v2/heartbeat");
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "Chroma exited with code " + process.exitValue() + " during start-up:\n" + tail());
                }
                try {
                    HttpResponse<Void> response = client.send(
                            HttpRequest.newBuilder(heartbeat)
                                    .timeout(Duration.ofSeconds(1))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IOException(
                "Chroma did not answer " + heartbeat + " within " + STARTUP_TIMEOUT.toSeconds() + " s:\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The chroma binary: {@code JERRY_CHROMA_BIN}, else the pinned package, installed on first use. */
    static Path binary() throws IOException {
        String configured = System.getenv("JERRY_CHROMA_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = RepoPaths.root().resolve("configs/chroma");
        Path binary = dir.resolve("node_modules/.bin/chroma");
        NpmPackage.ensureInstalled(dir, binary);
        return binary;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // the OS cleans its temp dir eventually
        }
    }
}
