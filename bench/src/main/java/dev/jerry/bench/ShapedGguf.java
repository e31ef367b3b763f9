package dev.jerry.bench;

import dev.jerry.testing.GgufWriter;
import dev.jerry.testing.TinyLlamaGguf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a random-weight LLaMA GGUF with the exact shape of Llama-3.2-1B (2048 wide, 16 layers, 32 query and 8
 * key/value heads, 8192 feed-forward, 128,256-token vocabulary, tied output), in F16, streamed to disk (2.5 GB). Speed
 * depends on shape and quantization, not on weight values, so after {@code llama-quantize ... Q4_K_M} it measures like
 * the real model. The vocabulary is SentencePiece-style: the tiny model's 384 tokens, then filler pieces.
 *
 * <p>Run: {@code java -cp bench/target/bench.jar dev.jerry.bench.ShapedGguf OUT.gguf}, then {@code llama-quantize
 * OUT.gguf OUT-Q4_K_M.gguf Q4_K_M}.
 */
public final class ShapedGguf {
    private static final int EMBEDDING = 2048;
    private static final int LAYERS = 16;
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int FEED_FORWARD = 8192;
    private static final int VOCAB = 128_256;
    private static final int ALIGNMENT = GgufWriter.ALIGNMENT;
    private static final int F16 = 1;
    private static final int F32 = 0;

    private record Tensor(String name, long[] dims, int type) {
        long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        long bytes() {
            return elements() * (type == F16 ? 2 : 4);
        }
    }

    private ShapedGguf() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "llama-3.2-1b-shape-f16.gguf");
        write(out);
        System.out.println(out);
    }

    static void write(Path file) throws IOException {
        List<String> vocab = new ArrayList<>(TinyLlamaGguf.vocabulary());
        for (int i = vocab.size(); i < VOCAB; i++) {
            vocab.add("\u2581w" + i);
        }
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(new Tensor("token_embd.weight", new long[] {EMBEDDING, VOCAB}, F16));
        tensors.add(new Tensor("output_norm.weight", new long[] {EMBEDDING}, F32));
        int kv = EMBEDDING / HEADS * KV_HEADS;
        for (int layer = 0; layer < LAYERS; layer++) {
            String p = "blk." + layer + ".";
            tensors.add(new Tensor(p + "attn_norm.weight", new long[] {EMBEDDING}, F32));
            tensors.add(new Tensor(p + "attn_q.weight", new long[] {EMBEDDING, EMBEDDING}, F16));
            tensors.add(new Tensor(p + "attn_k.weight", new long[] {EMBEDDING, kv}, F16));
            tensors.add(new Tensor(p + "attn_v.weight", new long[] {EMBEDDING, kv}, F16));
            tensors.add(new Tensor(p + "attn_output.weight", new long[] {EMBEDDING, EMBEDDING}, F16));
            tensors.add(new Tensor(p + "ffn_norm.weight", new long[] {EMBEDDING}, F32));
            tensors.add(new Tensor(p + "ffn_gate.weight", new long[] {EMBEDDING, FEED_FORWARD}, F16));
            tensors.add(new Tensor(p + "ffn_up.weight", new long[] {EMBEDDING, FEED_FORWARD}, F16));
            tensors.add(new Tensor(p + "ffn_down.weight", new long[] {FEED_FORWARD, EMBEDDING}, F16));
        }

        GgufWriter h = new GgufWriter();
        h.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
        h.u32(3);
        h.u64(tensors.size());
        h.u64(22);
        h.kvString("general.architecture", "llama");
        h.kvString("general.name", "random-weights-llama-3.2-1b-shape");
        h.kvU32("general.alignment", ALIGNMENT);
        h.kvU32("general.file_type", 1);
        h.kvU32("llama.context_length", 8192);
        h.kvU32("llama.embedding_length", EMBEDDING);
        h.kvU32("llama.block_count", LAYERS);
        h.kvU32("llama.feed_forward_length", FEED_FORWARD);
        h.kvU32("llama.attention.head_count", HEADS);
        h.kvU32("llama.attention.head_count_kv", KV_HEADS);
        h.kvU32("llama.rope.dimension_count", EMBEDDING / HEADS);
        h.kvF32("llama.rope.freq_base", 500_000f);
        h.kvF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        h.kvU32("llama.vocab_size", VOCAB);
        h.kvString("tokenizer.ggml.model", "llama");
        h.key("tokenizer.ggml.tokens");
        h.u32(9);
        h.u32(8);
        h.u64(vocab.size());
        vocab.forEach(h::string);
        h.key("tokenizer.ggml.scores");
        h.u32(9);
        h.u32(6);
        h.u64(vocab.size());
        for (int i = 0; i < vocab.size(); i++) {
            h.f32(i < 259 ? 0f : vocab.get(i).length() - 1000f);
        }
        h.key("tokenizer.ggml.token_type");
        h.u32(9);
        h.u32(5);
        h.u64(vocab.size());
        for (int i = 0; i < vocab.size(); i++) {
            h.u32(i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1);
        }
        h.kvU32("tokenizer.ggml.bos_token_id", 1);
        h.kvU32("tokenizer.ggml.eos_token_id", 2);
        h.kvU32("tokenizer.ggml.unknown_token_id", 0);
        h.kvString("tokenizer.chat_template", TinyLlamaGguf.CHAT_TEMPLATE);
        long offset = 0;
        for (Tensor t : tensors) {
            h.string(t.name());
            h.u32(t.dims().length);
            for (long d : t.dims()) {
                h.u64(d);
            }
            h.u32(t.type());
            h.u64(offset);
            offset += padded(t.bytes());
        }
        h.pad();

        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(h.toByteArray()));
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            long state = 0x9E3779B97F4A7C15L;
            for (Tensor t : tensors) {
                boolean norm = t.type() == F32;
                for (long i = 0; i < t.elements(); i++) {
                    if (buffer.remaining() < 4) {
                        flush(out, buffer);
                    }
                    if (norm) {
                        buffer.putFloat(1f);
                    } else {
                        // xorshift: uniform in [-0.04, 0.04], about the spread of trained weights
                        state ^= state << 13;
                        state ^= state >>> 7;
                        state ^= state << 17;
                        float value = ((state >>> 40) / (float) (1 << 24) - 0.5f) * 0.08f;
                        buffer.putShort(Float.floatToFloat16(value));
                    }
                }
                long pad = padded(t.bytes()) - t.bytes();
                for (long i = 0; i < pad; i++) {
                    if (!buffer.hasRemaining()) {
                        flush(out, buffer);
                    }
                    buffer.put((byte) 0);
                }
            }
            flush(out, buffer);
        }
    }

    private static void flush(FileChannel out, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    private static long padded(long size) {
        return (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
