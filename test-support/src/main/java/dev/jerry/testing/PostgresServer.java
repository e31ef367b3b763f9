package dev.jerry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) on a free loopback port and a fresh data directory,
 * one per test JVM, stopped when the JVM exits. Run as the {@code postgres} user when the tests run as root (PostgreSQL
 * refuses root). Without PostgreSQL installed the tests that need it are skipped, except under CI ({@code CI} set),
 * where {@code .ci/run} installs it and its absence is a failure.
 */
public final class PostgresServer {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static PostgresServer shared;

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final Process process;

    private PostgresServer(Path bin, Path dataDir, int port, Process process) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            Path bin = binaries();
            try {
                shared = start(bin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-stop"));
        }
        return shared;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}: user {@code jerry}, any password (trust on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "jerry";
    }

    private static Path binaries() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("JERRY_TEST_PG_BIN");
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing(Path::toString).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate.resolve("postgres")) && Files.isExecutable(candidate.resolve("initdb"))) {
                return candidate;
            }
        }
        String message = "PostgreSQL is not installed (looked in JERRY_TEST_PG_BIN and /usr/lib/postgresql/*/bin): "
                + "apt-get install postgresql";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, as the {@code postgres} user when we are root. */
    private static List<String> as(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static PostgresServer start(Path bin) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(
                "jerry-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = home.resolve("data");
        if (root()) {
            UserPrincipal postgres =
                    home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(home, postgres);
        }
        run(
                as(List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "jerry",
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--no-sync")),
                home.resolve("initdb.log"));
        int port = Ports.free();
        Process process = new ProcessBuilder(as(List.of(
                        bin.resolve("postgres").toString(),
                        "-D",
                        data.toString(),
                        "-p",
                        String.valueOf(port),
                        "-k",
                        home.toString(),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "fsync=off")))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("postgres.log").toFile())
                .start();
        var server = new PostgresServer(bin, data, port, process);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!server.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("PostgreSQL did not start on port " + port + ": "
                        + Files.readString(home.resolve("postgres.log")));
            }
            Thread.sleep(100);
        }
        return server;
    }

    private boolean ready() throws IOException, InterruptedException {
        Process check = new ProcessBuilder(
                        bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-q")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return check.waitFor(5, TimeUnit.SECONDS) && check.exitValue() == 0;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    /** Stops the server at once (its data is thrown away with it). */
    public void stop() {
        try {
            run(
                    as(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "immediate")),
                    dataDir.resolveSibling("pg_ctl.log"));
            process.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dataDir.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
