package dev.jerry.model.llama;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The few metadata keys of a GGUF file that Ollama's API reports: {@code general.architecture},
 * {@code general.size_label} and {@code general.file_type} (the quantization). Reads the key-value header only.
 */
record GgufHeader(String architecture, String sizeLabel, String quantization) {
    /** llama.cpp's {@code llama_ftype} values, as Ollama names them. */
    private static final Map<Long, String> FILE_TYPES = Map.ofEntries(
            Map.entry(0L, "F32"),
            Map.entry(1L, "F16"),
            Map.entry(2L, "Q4_0"),
            Map.entry(3L, "Q4_1"),
            Map.entry(7L, "Q8_0"),
            Map.entry(8L, "Q5_0"),
            Map.entry(9L, "Q5_1"),
            Map.entry(10L, "Q2_K"),
            Map.entry(11L, "Q3_K_S"),
            Map.entry(12L, "Q3_K_M"),
            Map.entry(13L, "Q3_K_L"),
            Map.entry(14L, "Q4_K_S"),
            Map.entry(15L, "Q4_K_M"),
            Map.entry(16L, "Q5_K_S"),
            Map.entry(17L, "Q5_K_M"),
            Map.entry(18L, "Q6_K"),
            Map.entry(32L, "BF16"));

    private static final int STRING = 8;
    private static final int ARRAY = 9;

    /** The header of {@code file}, or empty when it is not a GGUF file this reader understands. */
    static Optional<GgufHeader> read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != 0x47475546) { // "GGUF" read big-endian
                return Optional.empty();
            }
            if (u32(in) < 2) {
                return Optional.empty();
            }
            u64(in); // tensor count
            long keys = u64(in);
            String architecture = null;
            String sizeLabel = null;
            String quantization = null;
            for (long i = 0; i < keys; i++) {
                String key = string(in);
                int type = (int) u32(in);
                switch (key) {
                    case "general.architecture" -> architecture = type == STRING ? string(in) : skip(in, type);
                    case "general.size_label" -> sizeLabel = type == STRING ? string(in) : skip(in, type);
                    case "general.file_type" -> {
                        long value = type == 4 || type == 5 ? u32(in) : -1;
                        if (value < 0) {
                            skip(in, type);
                        }
                        quantization = FILE_TYPES.get(value);
                    }
                    default -> skip(in, type);
                }
            }
            return Optional.of(new GgufHeader(architecture, sizeLabel, quantization));
        } catch (IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static String skip(DataInputStream in, int type) throws IOException {
        if (type == STRING) {
            skipBytes(in, u64(in));
        } else if (type == ARRAY) {
            int itemType = (int) u32(in);
            long count = u64(in);
            for (long i = 0; i < count; i++) {
                skip(in, itemType);
            }
        } else {
            skipBytes(in, width(type));
        }
        return null;
    }

    private static int width(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 10, 11, 12 -> 8;
            default -> throw new IllegalStateException("unknown GGUF value type " + type);
        };
    }

    private static void skipBytes(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                throw new EOFException();
            }
            left -= skipped;
        }
    }

    private static String string(DataInputStream in) throws IOException {
        long length = u64(in);
        if (length > 1 << 20) {
            throw new IllegalStateException("GGUF string of " + length + " bytes");
        }
        return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }

    private static long u32(DataInputStream in) throws IOException {
        return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    }

    private static long u64(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }
}
