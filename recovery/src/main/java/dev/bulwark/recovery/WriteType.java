package dev.bulwark.recovery;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of application write that {@link StoreAndForward} can buffer: a name stored with every buffered
 * write, a codec and a handler. Register it with {@link StoreAndForward.Builder#withType} so that writes
 * buffered by an earlier process can be replayed.
 *
 * <p>Immutable and thread-safe if its codec and handler are.
 *
 * @param name    the name stored in the journal; 1 to 64 letters, digits or {@code _ . : -}; never change it
 *                while writes of this type may be buffered
 * @param codec   turns a write into bytes and back
 * @param handler applies a write on a connection
 * @param <T>     the application's write type
 */
public record WriteType<T>(String name, WriteCodec<T> codec, WriteHandler<T> handler) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /**
     * Creates a write type.
     *
     * @throws IllegalArgumentException if the name breaks the rule above
     * @throws NullPointerException     if an argument is null
     */
    public WriteType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(handler, "handler");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("write type name '" + name + "' is not allowed: use 1 to 64 letters,"
                    + " digits or the characters _ . : -");
        }
    }

    /** Returns a write type; see the record's parameters. */
    public static <T> WriteType<T> of(String name, WriteCodec<T> codec, WriteHandler<T> handler) {
        return new WriteType<>(name, codec, handler);
    }
}
