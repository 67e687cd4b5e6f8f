package dev.bulwark.recovery;

import java.io.IOException;

/**
 * Turns an application's write into bytes for the journal and back, for {@link WriteType}s the application
 * applies itself.
 *
 * <p>Implementations must be thread-safe and deterministic: {@code decode(encode(w))} must give a write that
 * {@link WriteHandler} applies the same way, also in a later process and a later version of the application
 * (put a version into your format if it may change).
 *
 * @param <T> the application's write type
 */
public interface WriteCodec<T> {

    /**
     * Encodes a write.
     *
     * @throws IllegalArgumentException if the write cannot be encoded; nothing is written or buffered
     */
    byte[] encode(T write);

    /**
     * Decodes a write encoded by {@link #encode}.
     *
     * @throws IOException if the bytes are not a write of this codec
     */
    T decode(byte[] bytes) throws IOException;
}
