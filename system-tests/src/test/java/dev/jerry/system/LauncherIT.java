package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.LlamaServerBinaries;
import dev.jerry.testing.Ports;
import dev.jerry.testing.RepoPaths;
import dev.jerry.testing.TinyLlamaGguf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first five minutes of a new user: {@code ./jerry up} on embedded defaults (the local Chroma, in-process
 * llama.cpp on a generated model, SQLite), {@code ./jerry chat} answers, {@code ./jerry down} leaves no process.
 * Ports and the data directory are the test's own, so a running Jerry on this machine is not disturbed.
 */
class LauncherIT {
    private record Run(int exit, String out, String err) {}

    private static Run jerry(Map<String, String> env, Path dir, String... args)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(RepoPaths.root().resolve("jerry").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("JERRY_DISCORD_TOKEN");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./jerry " + String.join(" ", args) + " did not finish in 240 s");
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<Long> pids(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (var files = Files.list(run)) {
            return files.filter(f -> f.toString().endsWith(".pid"))
                    .map(f -> {
                        try {
                            return Long.parseLong(Files.readString(f).strip());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void should_start_on_embedded_defaults_answer_in_the_terminal_and_stop_everything(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 42);
        Map<String, String> env = Map.of(
                "JERRY_DATA_DIR", data.toString(),
                "JERRY_CHROMA_PORT", String.valueOf(Ports.free()),
                "JERRY_MODEL_PORT", String.valueOf(Ports.free()),
                "JERRY_RAG_PORT", String.valueOf(Ports.free()),
                "JERRY_AGENT_PORT", String.valueOf(Ports.free()),
                "JERRY_MODEL_PATH", model.toString(),
                "JERRY_MODEL_NAME", "tiny",
                // the build that .ci/run made (./jerry up would build one into this test's data directory)
                "JERRY_LLAMA_SERVER", LlamaServerBinaries.require().toString(),
                "JERRY_DEFAULT_MAX_TOKENS", "16");
        List<Long> started = List.of();
        try {
            Run up = jerry(env, dir, "up");
            started = pids(data.resolve("run"));
            assertThat(up.exit()).as(up.out() + up.err()).isZero();
            assertThat(up.out())
                    .contains("JERRY_DISCORD_TOKEN is not set: the Discord bot is not started")
                    .containsPattern("model\\s+\\d+\\s+\\d+\\s+yes")
                    .containsPattern("agent\\s+\\d+\\s+\\d+\\s+yes");
            assertThat(started).hasSize(4); // chroma, model, rag, agent

            Run chat = jerry(env, dir, "chat", "Hello Jerry");

            assertThat(chat.exit()).as("answered; stderr: " + chat.err()).isZero();
            assertThat(chat.err()).doesNotContain("⚠️");
            Run status = jerry(env, dir, "status");
            assertThat(status.out()).containsPattern("rag\\s+\\d+\\s+\\d+\\s+yes\\s+yes");
        } finally {
            Run down = jerry(env, dir, "down");
            assertThat(down.exit()).isZero();
        }
        for (long pid : started) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d stopped", pid)
                    .isFalse();
        }
        assertThat(pids(data.resolve("run"))).isEmpty();
    }

    @Test
    void should_say_the_failing_services_own_error_and_its_log_when_up_fails(@TempDir Path dir) throws Exception {
        // given: model-service's port is taken by something else
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Map.of(
                    "JERRY_DATA_DIR", data.toString(),
                    "JERRY_CHROMA_PORT", String.valueOf(Ports.free()),
                    "JERRY_MODEL_PORT", String.valueOf(taken.getLocalPort()),
                    "JERRY_RAG_PORT", String.valueOf(Ports.free()),
                    "JERRY_AGENT_PORT", String.valueOf(Ports.free()));
            try {
                // when
                Run up = jerry(env, dir, "up");

                // then
                String said = up.out() + up.err();
                assertThat(up.exit()).as(said).isNotZero();
                assertThat(said)
                        .contains("model exited during start-up: model cannot start")
                        .contains("choose another port with JERRY_MODEL_PORT")
                        .contains(data.resolve("logs/model.log").toString())
                        .doesNotContain("io.javalin", "Exception", "\tat ")
                        .doesNotContainPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T");
            } finally {
                jerry(env, dir, "down");
            }
        }
        assertThat(pids(data.resolve("run"))).isEmpty();
    }
}
