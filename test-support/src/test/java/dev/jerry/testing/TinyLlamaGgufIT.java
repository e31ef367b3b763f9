package dev.jerry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads the generated model in real llama.cpp once for this JVM (llama.cpp frees nothing on close). */
class TinyLlamaGgufIT {
    private static Path dir;
    private static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        dir = Files.createTempDirectory("jerry-gguf-");
        Path file = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
        model = new LlamaModel(new ModelParameters()
                .setModel(file.toString())
                .setThreads(1)
                .setCtxSize(TinyLlamaGguf.CONTEXT)
                .disableLog());
    }

    @AfterAll
    static void unload() throws Exception {
        model.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static String generate(String prompt, int seed) {
        // no reuse of the last request's KV cache: a prompt evaluated again token by token need not give bit-identical
        // logits, and the tiny model's nearly flat ones turn any difference into other text (seen once in CI)
        return model.complete(new InferenceParameters(prompt)
                .setCachePrompt(false)
                .setSeed(seed)
                .setTemperature(1.0f)
                .setNPredict(24)
                .setIgnoreEos(true));
    }

    @Test
    void should_write_identical_bytes_for_a_seed_and_different_weights_for_another() {
        byte[] seven = TinyLlamaGguf.bytes(7);
        byte[] eight = TinyLlamaGguf.bytes(8);

        assertThat(TinyLlamaGguf.bytes(7)).isEqualTo(seven);
        assertThat(seven.length).isLessThan(1024 * 1024);
        // the last 64 KiB are weights of the last layer: they, not just the name, depend on the seed
        assertThat(Arrays.copyOfRange(seven, seven.length - 65536, seven.length))
                .isNotEqualTo(Arrays.copyOfRange(eight, eight.length - 65536, eight.length));
    }

    @Test
    void should_generate_identical_text_for_the_same_seed_and_different_text_for_another() {
        String first = generate("Hello there, Jerry", 42);
        String again = generate("Hello there, Jerry", 42);
        String other = generate("Hello there, Jerry", 43);

        assertThat(first).isNotEmpty().isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void should_tokenize_any_text_through_the_byte_tokens() {
        int[] tokens = model.encode("the café ☕ 42");

        assertThat(tokens).isNotEmpty();
        assertThat(java.util.Arrays.stream(tokens).max().orElseThrow()).isLessThan(384);
        assertThat(model.decode(tokens)).contains("café ☕ 42");
    }

    @Test
    void should_apply_its_chatml_template() {
        String prompt = model.applyTemplate(
                new InferenceParameters("").setMessages("You are Jerry.", List.of(new Pair<>("user", "hi"))));

        assertThat(prompt)
                .contains("<|im_start|>system\nYou are Jerry.<|im_end|>")
                .contains("<|im_start|>user\nhi<|im_end|>")
                .endsWith("<|im_start|>assistant\n");
    }
}
