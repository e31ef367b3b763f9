package dev.jerry.kit.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
    @Test
    void should_make_a_fresh_directory_per_process_and_remove_those_of_processes_that_are_gone(@TempDir Path data)
            throws Exception {
        // given: what a kill -9 left behind, a directory of a live process, and something that is not ours
        Path native_ = Files.createDirectories(data.resolve("native"));
        Path dead = Files.createDirectories(native_.resolve("model-" + Long.MAX_VALUE));
        Files.writeString(dead.resolve("libjllama.so"), "old");
        Path live = Files.createDirectories(native_.resolve(
                "rag-" + ProcessHandle.current().parent().orElseThrow().pid()));
        Path other = Files.createDirectories(native_.resolve("notes"));

        // when
        Path own = NativeLibraries.prepare(Env.of(Map.of("JERRY_DATA_DIR", data.toString())), "test");

        // then
        assertThat(own)
                .isDirectory()
                .isEqualTo(native_.resolve("test-" + ProcessHandle.current().pid()));
        assertThat(dead).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(other).isDirectory();
        assertThat(Path.of(System.getProperty(NativeLibraries.LLAMA_TMPDIR))).isDirectory();
        // and nothing is left to write under the user's home
        assertThat(Path.of(System.getProperty(NativeLibraries.PDFBOX_FONT_CACHE)))
                .isDirectory()
                .isEqualTo(data.resolve("cache").resolve("pdfbox"));
        assertThat(Path.of(System.getProperty(NativeLibraries.JNA_TMPDIR)))
                .isDirectory()
                .isEqualTo(own.resolve("jna"));
        if (System.getenv(NativeLibraries.DJL_CACHE) == null) {
            assertThat(Path.of(System.getProperty(NativeLibraries.DJL_CACHE)))
                    .isDirectory()
                    .isEqualTo(data.resolve("cache").resolve("djl"));
        }
    }

    @Test
    void should_name_the_variable_when_the_data_directory_cannot_be_made(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> NativeLibraries.prepare(Env.of(Map.of("JERRY_DATA_DIR", file.toString())), "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("JERRY_DATA_DIR");
    }

    @Test
    void should_load_native_models_one_after_the_other() throws Exception {
        // given: two loads started at once
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Runnable load = () -> NativeLibraries.loadExclusively("model", () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inside.decrementAndGet();
        });

        // when
        Thread first = Thread.ofVirtual().start(load);
        Thread second = Thread.ofVirtual().start(load);
        first.join();
        second.join();

        // then
        assertThat(most.get()).isEqualTo(1);
    }
}
