package dev.bulwark.testkit.internal;

/**
 * Follows the client side of the MySQL/MariaDB protocol and cuts right after a {@code COM_QUERY}
 * packet whose text is a commit (MariaDB Connector/J sends {@code conn.commit()} that way).
 *
 * <p>Every packet has a 3-byte little-endian length and a sequence id; a command starts a new
 * sequence (id 0) and its first payload byte is the command ({@code 0x03} = COM_QUERY, followed by the
 * SQL text). The first client packet is the handshake response (or SSL request): when it asks for TLS
 * or compression the stream can no longer be read and the parser gives up. Not thread-safe: one
 * instance per connection.
 */
public final class MariaDbClientParser extends FramedParser {

    private static final int CLIENT_COMPRESS = 0x20;
    private static final int CLIENT_SSL = 0x800;
    private static final byte COM_QUERY = 0x03;

    private boolean handshakeSeen;

    @Override
    protected int headerSize() {
        return 4;
    }

    @Override
    protected long payloadLength(byte[] header) {
        return (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
    }

    @Override
    protected boolean keepPayload(byte[] header) {
        return !handshakeSeen || header[3] == 0;
    }

    @Override
    protected boolean frameComplete(byte[] header, Payload payload, CommitListener listener) {
        if (!handshakeSeen) {
            handshakeSeen = true;
            if (payload.length() >= 4) {
                int capabilities = (payload.bytes()[0] & 0xFF) | (payload.bytes()[1] & 0xFF) << 8;
                if ((capabilities & CLIENT_SSL) != 0) {
                    giveUp("TLS (use sslMode=disable to let the proxy see COMMITs)");
                } else if ((capabilities & CLIENT_COMPRESS) != 0) {
                    giveUp("compression (do not set useCompression to let the proxy see COMMITs)");
                }
            }
            return false;
        }
        boolean command = header[3] == 0 && payload.length() >= 1;
        return command && payload.bytes()[0] == COM_QUERY && payload.complete()
                && CommitSql.matches(payload.text(1, payload.length())) && listener.commitSeen();
    }
}
