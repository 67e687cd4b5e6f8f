package dev.bulwark.testkit.internal;

/**
 * Follows the client-to-server byte stream of one connection and finds the point at which a COMMIT
 * that is to be cut has been sent completely.
 *
 * <p>Not thread-safe: one instance per connection, fed by that connection's client-to-server thread.
 */
public interface WireParser {

    /** Told of every COMMIT the parser sees; answers whether this one is to be cut. */
    @FunctionalInterface
    interface CommitListener {
        boolean commitSeen();
    }

    /**
     * Consumes {@code length} bytes of the client's stream.
     *
     * @return the offset in {@code buffer} just after the last byte that belongs to a COMMIT to be cut
     *         (the connection is to be cut once the bytes up to there reached the server), or
     *         {@code -1} when no cut point lies in these bytes
     */
    int feed(byte[] buffer, int offset, int length, CommitListener listener);

    /** Whether the parser gave up following the stream (TLS, compression, a frame it cannot read). */
    boolean opaque();

    /** Why the parser gave up, or {@code null} while it follows the stream. */
    String opaqueReason();
}
