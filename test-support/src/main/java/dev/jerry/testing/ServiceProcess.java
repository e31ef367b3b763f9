package dev.jerry.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Jerry service ({@code <module>/target/<module>.jar}) run as its own process on a port the test chose,
 * with its log in a file: started and awaited until {@code /health/live} answers, killed with SIGKILL, restarted
 * with the same environment.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Generous: several JVMs starting at once on a loaded 2-core machine took over two minutes. */
    private static final Duration START = Duration.ofSeconds(300);

    private final String module;
    private final int port;
    private final Map<String, String> env;
    private final Path logDir;
    private final List<String> jvmOptions;
    private Process process;
    private int starts;

    private ServiceProcess(String module, int port, Map<String, String> env, Path logDir, List<String> jvmOptions) {
        this.module = module;
        this.port = port;
        this.env = Map.copyOf(env);
        this.logDir = logDir;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts {@code module}'s jar with {@code env}; the caller puts the port in it ({@code JERRY_<X>_PORT}). */
    public static ServiceProcess start(String module, int port, Map<String, String> env, Path logDir)
            throws IOException, InterruptedException {
        return start(module, port, env, logDir, List.of());
    }

    /** As {@link #start(String, int, Map, Path)}, with JVM options before {@code -jar} (e.g. {@code -Djava.io.tmpdir}). */
    public static ServiceProcess start(
            String module, int port, Map<String, String> env, Path logDir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        ServiceProcess service = new ServiceProcess(module, port, env, logDir, jvmOptions);
        service.launch();
        return service;
    }

    public static Path jar(String module) {
        Path jar = RepoPaths.root().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build (./mvnw package) first");
        }
        return jar;
    }

    /**
     * Runs the ingestion job's jar over {@code paths} with {@code env}, its output in {@code log}, and waits for it.
     *
     * @return its exit code
     */
    public static int ingest(Map<String, String> env, Path log, Path... paths)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                home(),
                "-jar",
                jar("ingestion").toString()));
        for (Path path : paths) {
            command.add(path.toString());
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process ingestion = builder.start();
        if (!ingestion.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            ingestion.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("ingestion did not finish within " + START.toSeconds() + " s");
        }
        return ingestion.exitValue();
    }

    /**
     * The test JVM's home for the child too (the build points it into {@code target/}): a service that falls back to
     * its default folders under {@code ~} writes there, never into the developer's own Jerry data.
     */
    public static String home() {
        return "-Duser.home=" + System.getProperty("user.home");
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return logDir.resolve(module + "-" + starts + ".log");
    }

    private void launch() throws IOException, InterruptedException {
        starts++;
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                home(),
                "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar(module).toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
        builder.environment().putAll(env);
        process = builder.start();
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                if (Http.get(baseUrl(), "/health/live").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        module + " exited during start-up with " + process.exitValue() + "; log: " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        module + " not live within " + START.toSeconds() + " s; log: " + tail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again with the same environment and port, after a kill or a stop. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The process id, to find what the process made under its name. */
    public long pid() {
        return process.pid();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
