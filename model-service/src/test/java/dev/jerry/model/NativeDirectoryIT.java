package dev.jerry.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import dev.jerry.testing.ServiceProcess;
import dev.jerry.testing.TinyLlamaGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model-service started the way README shows ({@code java -jar model-service.jar}), with no native-library options:
 * it must unpack llama.cpp and the ONNX runtime into its own directory and leave the temp directory alone. Before, the
 * llama.cpp loader deleted every {@code llama*} file in {@code /tmp} (a user's GGUF file went with it) and the ONNX
 * runtime left a 16 MB directory there at every start. The decoy temp directory here stands in for {@code /tmp}.
 */
class NativeDirectoryIT {
    private static Map<String, String> env(int port, Path data, Path model) {
        return Map.of(
                "JERRY_MODEL_PORT",
                String.valueOf(port),
                "JERRY_DATA_DIR",
                data.toString(),
                "JERRY_MODEL_PATH",
                model.toString(),
                "JERRY_LLAMA_THREADS",
                "1",
                // the in-process binding is the one whose loader unpacks into a temp dir (llama-server is a process)
                "JERRY_LLAMA_ENGINE",
                "jni",
                "OMP_WAIT_POLICY",
                "passive");
    }

    @Test
    void should_leave_other_programs_files_in_the_temp_dir_alone_when_started_as_a_plain_jar(@TempDir Path dir)
            throws Exception {
        // given: a temp dir holding a user's model and other llama-named files, and no native options on the command
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path usersModel = Files.writeString(tmp.resolve("llama-3.2-1b-instruct.gguf"), "a user's model");
        Path usersLibrary = Files.writeString(tmp.resolve("jllama-notes.txt"), "someone else's");
        Path data = dir.resolve("data");
        Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
        int port = Ports.free();

        // when
        try (ServiceProcess service = ServiceProcess.start(
                "model-service", port, env(port, data, model), dir, List.of("-Djava.io.tmpdir=" + tmp))) {
            assertThat(Http.get(service.baseUrl(), "/health/live").statusCode()).isEqualTo(200);

            // then: nothing of the user's is gone, nothing of ours is in the temp dir
            assertThat(usersModel).exists().hasContent("a user's model");
            assertThat(usersLibrary).exists();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("onnxruntime-java"))
                        .noneMatch(name -> name.startsWith("libjllama"));
            }
            // the libraries are in the service's own directory
            Path own = data.resolve("native").resolve("model-" + service.pid());
            assertThat(own.resolve("llama")).isDirectory();
            try (Stream<Path> files = Files.walk(own)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(name -> name.contains("jllama"))
                        .anyMatch(name -> name.contains("onnxruntime"));
            }
        }

        // and when it stops, its directory goes with it
        try (Stream<Path> left = Files.list(data.resolve("native"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void should_make_a_missing_directory_the_operator_named_instead_of_dying(@TempDir Path dir) throws Exception {
        // given: -Dde.kherud.llama.tmpdir pointing where nothing exists yet (an UnsatisfiedLinkError before)
        Path missing = dir.resolve("not").resolve("there");
        Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
        int port = Ports.free();

        // when
        try (ServiceProcess service = ServiceProcess.start(
                "model-service",
                port,
                env(port, dir.resolve("data"), model),
                dir,
                List.of("-Dde.kherud.llama.tmpdir=" + missing))) {

            // then
            assertThat(Http.get(service.baseUrl(), "/health/live").statusCode()).isEqualTo(200);
            assertThat(missing).isDirectory();
            try (Stream<Path> files = Files.list(missing)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.contains("jllama"));
            }
        }
    }
}
