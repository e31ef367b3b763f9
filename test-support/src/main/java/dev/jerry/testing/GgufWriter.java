package dev.jerry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian GGUF v3 primitives: header values, metadata keys and padding. Shared by the tests' tiny model
 * ({@link TinyLlamaGguf}) and the bench's realistically shaped one.
 */
public final class GgufWriter {
    /** Tensor data and each tensor start on this boundary ({@code general.alignment}). */
    public static final int ALIGNMENT = 32;

    // GGUF metadata value types
    public static final int UINT32 = 4;
    public static final int INT32 = 5;
    public static final int FLOAT32 = 6;
    public static final int BOOL = 7;
    public static final int STRING = 8;
    public static final int ARRAY = 9;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int keys;

    public void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    public void u32(int value) {
        raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    public void u64(long value) {
        raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    public void f32(float value) {
        raw(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(value)
                .array());
    }

    public void string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        raw(bytes);
    }

    /** A metadata key; counted, for the header's key count. */
    public void key(String key) {
        keys++;
        string(key);
    }

    public void kvU32(String key, int value) {
        key(key);
        u32(UINT32);
        u32(value);
    }

    public void kvF32(String key, float value) {
        key(key);
        u32(FLOAT32);
        f32(value);
    }

    public void kvString(String key, String value) {
        key(key);
        u32(STRING);
        string(value);
    }

    /** Zeros up to the next {@link #ALIGNMENT} boundary. */
    public void pad() {
        while (out.size() % ALIGNMENT != 0) {
            out.write(0);
        }
    }

    /** How many metadata keys were written. */
    public int keys() {
        return keys;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
