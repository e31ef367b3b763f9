package dev.jerry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a tiny LLaMA model in GGUF v3 with random weights drawn from a seed: 384-token SentencePiece-style
 * vocabulary (with the 256 byte tokens, so any text tokenizes), 64-wide embeddings, 2 layers, a ChatML template. It
 * loads in llama.cpp in milliseconds and runs the real generation path; its output is garbage, so tests assert
 * determinism and structure, never content. The same seed always gives the same bytes.
 */
public final class TinyLlamaGguf {
    public static final int EMBEDDING = 64;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int FEED_FORWARD = 128;
    public static final int CONTEXT = 2048;
    public static final int BOS = 1;
    public static final int EOS = 2;
    private static final int ALIGNMENT = GgufWriter.ALIGNMENT;

    public static final String CHAT_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    // GGUF value types
    private static final int UINT32 = GgufWriter.UINT32;
    private static final int INT32 = GgufWriter.INT32;
    private static final int FLOAT32 = GgufWriter.FLOAT32;
    private static final int BOOL = GgufWriter.BOOL;
    private static final int STRING = GgufWriter.STRING;
    private static final int ARRAY = GgufWriter.ARRAY;
    // GGML tensor type
    private static final int GGML_F32 = 0;
    // llama token types
    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int BYTE = 6;

    private record Tensor(String name, long[] dims, float[] data) {}

    private TinyLlamaGguf() {}

    /** The vocabulary: {@code <unk> <s> </s>}, the 256 byte tokens, then word pieces up to 384 tokens. */
    public static List<String> vocabulary() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add("\u2581");
        for (char c = 'a'; c <= 'z'; c++) {
            pieces.add(String.valueOf(c));
            pieces.add("\u2581" + c);
            pieces.add(String.valueOf(Character.toUpperCase(c)));
        }
        for (char c = '0'; c <= '9'; c++) {
            pieces.add(String.valueOf(c));
        }
        for (String p : List.of(".", ",", "!", "?", "'")) {
            pieces.add(p);
        }
        for (String w : List.of(
                "the", "and", "is", "of", "to", "in", "it", "you", "that", "for", "on", "with", "as", "are", "this",
                "be", "at", "or", "have", "from")) {
            pieces.add("\u2581" + w);
        }
        for (String bigram : List.of("th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti")) {
            pieces.add(bigram);
        }
        tokens.addAll(pieces);
        if (tokens.size() != 384) {
            throw new IllegalStateException("vocabulary must have 384 tokens, has " + tokens.size());
        }
        return tokens;
    }

    /** Writes the model to {@code file} (atomically) and returns the path. */
    public static Path write(Path file, long seed) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(bytes(seed));
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static byte[] bytes(long seed) {
        List<String> vocab = vocabulary();
        List<Tensor> tensors = tensors(vocab.size(), new Random(seed));
        GgufWriter w = new GgufWriter();
        w.kvString("general.architecture", "llama");
        w.kvString("general.name", "jerry-tiny-llama-seed-" + seed);
        w.kvU32("general.alignment", ALIGNMENT);
        w.kvU32("general.file_type", 0);
        w.kvU32("llama.context_length", CONTEXT);
        w.kvU32("llama.embedding_length", EMBEDDING);
        w.kvU32("llama.block_count", LAYERS);
        w.kvU32("llama.feed_forward_length", FEED_FORWARD);
        w.kvU32("llama.attention.head_count", HEADS);
        w.kvU32("llama.attention.head_count_kv", HEADS);
        w.kvU32("llama.rope.dimension_count", EMBEDDING / HEADS);
        w.kvU32("llama.vocab_size", vocab.size());
        w.key("llama.attention.layer_norm_rms_epsilon");
        w.u32(FLOAT32);
        w.f32(1e-5f);
        w.kvString("tokenizer.ggml.model", "llama");
        w.key("tokenizer.ggml.tokens");
        w.u32(ARRAY);
        w.u32(STRING);
        w.u64(vocab.size());
        vocab.forEach(w::string);
        w.key("tokenizer.ggml.scores");
        w.u32(ARRAY);
        w.u32(FLOAT32);
        w.u64(vocab.size());
        for (int i = 0; i < vocab.size(); i++) {
            // SentencePiece merges prefer higher scores: longer pieces first
            w.f32(i < 259 ? 0f : vocab.get(i).length() - 1000f);
        }
        w.key("tokenizer.ggml.token_type");
        w.u32(ARRAY);
        w.u32(INT32);
        w.u64(vocab.size());
        for (int i = 0; i < vocab.size(); i++) {
            w.u32(i == 0 ? UNKNOWN : i < 3 ? CONTROL : i < 259 ? BYTE : NORMAL);
        }
        w.kvU32("tokenizer.ggml.bos_token_id", BOS);
        w.kvU32("tokenizer.ggml.eos_token_id", EOS);
        w.kvU32("tokenizer.ggml.unknown_token_id", 0);
        w.key("tokenizer.ggml.add_bos_token");
        w.u32(BOOL);
        w.raw(new byte[] {1});
        w.kvString("tokenizer.chat_template", CHAT_TEMPLATE);
        byte[] metadata = w.toByteArray();
        int keys = w.keys();

        w = new GgufWriter();
        w.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
        w.u32(3);
        w.u64(tensors.size());
        w.u64(keys);
        w.raw(metadata);

        long offset = 0;
        for (Tensor t : tensors) {
            w.string(t.name());
            w.u32(t.dims().length);
            for (long d : t.dims()) {
                w.u64(d);
            }
            w.u32(GGML_F32);
            w.u64(offset);
            offset += padded(t.data().length * 4L);
        }
        w.pad();
        for (Tensor t : tensors) {
            ByteBuffer buffer = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : t.data()) {
                buffer.putFloat(f);
            }
            w.raw(buffer.array());
            w.pad();
        }
        return w.toByteArray();
    }

    private static List<Tensor> tensors(int vocab, Random random) {
        List<Tensor> tensors = new ArrayList<>();
        // GGUF lists dimensions innermost first: token_embd is [embedding, vocab]
        tensors.add(new Tensor(
                "token_embd.weight", new long[] {EMBEDDING, vocab}, gaussian(random, EMBEDDING * vocab, 1f)));
        tensors.add(new Tensor("output_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING)));
        tensors.add(
                new Tensor("output.weight", new long[] {EMBEDDING, vocab}, gaussian(random, EMBEDDING * vocab, 0.25f)));
        for (int layer = 0; layer < LAYERS; layer++) {
            String p = "blk." + layer + ".";
            tensors.add(new Tensor(p + "attn_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING)));
            for (String name : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                tensors.add(new Tensor(
                        p + name + ".weight",
                        new long[] {EMBEDDING, EMBEDDING},
                        gaussian(random, EMBEDDING * EMBEDDING, 0.1f)));
            }
            tensors.add(new Tensor(p + "ffn_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING)));
            tensors.add(new Tensor(
                    p + "ffn_gate.weight",
                    new long[] {EMBEDDING, FEED_FORWARD},
                    gaussian(random, EMBEDDING * FEED_FORWARD, 0.1f)));
            tensors.add(new Tensor(
                    p + "ffn_up.weight",
                    new long[] {EMBEDDING, FEED_FORWARD},
                    gaussian(random, EMBEDDING * FEED_FORWARD, 0.1f)));
            tensors.add(new Tensor(
                    p + "ffn_down.weight",
                    new long[] {FEED_FORWARD, EMBEDDING},
                    gaussian(random, EMBEDDING * FEED_FORWARD, 0.1f)));
        }
        return tensors;
    }

    private static float[] gaussian(Random random, int n, float scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    private static float[] ones(int n) {
        float[] values = new float[n];
        java.util.Arrays.fill(values, 1f);
        return values;
    }

    private static long padded(long size) {
        return (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
