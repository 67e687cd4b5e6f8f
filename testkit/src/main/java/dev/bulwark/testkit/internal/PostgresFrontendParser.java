package dev.bulwark.testkit.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Follows the PostgreSQL frontend protocol (version 3) and cuts after a COMMIT: a simple-query
 * {@code 'Q'} message whose text is a commit, or, in the extended protocol, after the {@code Sync}
 * (or {@code Flush}) that follows the {@code Execute} of a portal bound to a commit statement.
 *
 * <p>The stream starts with untyped packets (SSLRequest, GSSENCRequest, StartupMessage); then every
 * message is a type byte and a length. Statement names from {@code Parse} and portal names from
 * {@code Bind} are tracked, because pgjdbc prepares {@code COMMIT} once as a named statement and then
 * sends only {@code Bind}/{@code Execute} for it. After an SSLRequest that the server accepted, the
 * stream is TLS and the parser gives up. Not thread-safe: one instance per connection.
 */
public final class PostgresFrontendParser extends FramedParser {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final byte TLS_HANDSHAKE = 0x16;

    private enum Phase { STARTUP, AFTER_ENCRYPTION_REQUEST, MESSAGES }

    private final Set<String> commitStatements = new HashSet<>();
    private final Set<String> commitPortals = new HashSet<>();
    private Phase phase = Phase.STARTUP;
    private boolean cutAtSync;

    @Override
    protected void frameStarting(byte firstByte) {
        if (phase == Phase.AFTER_ENCRYPTION_REQUEST) {
            if (firstByte == TLS_HANDSHAKE) {
                giveUp("TLS (use sslmode=disable to let the proxy see COMMITs)");
            }
            phase = Phase.STARTUP;
        }
    }

    @Override
    protected int headerSize() {
        return phase == Phase.MESSAGES ? 5 : 4;
    }

    @Override
    protected long payloadLength(byte[] header) {
        int at = phase == Phase.MESSAGES ? 1 : 0;
        long length = ((header[at] & 0xFFL) << 24 | (header[at + 1] & 0xFFL) << 16 | (header[at + 2] & 0xFFL) << 8
                | (header[at + 3] & 0xFFL)) - 4;
        return phase == Phase.MESSAGES ? length : (length < 4 ? -1 : length);
    }

    @Override
    protected boolean keepPayload(byte[] header) {
        if (phase != Phase.MESSAGES) {
            return true;
        }
        return switch (header[0]) {
            case 'Q', 'P', 'B', 'E', 'C' -> true;
            default -> false;
        };
    }

    @Override
    protected boolean frameComplete(byte[] header, Payload payload, CommitListener listener) {
        if (phase != Phase.MESSAGES) {
            startupPacket(payload);
            return false;
        }
        switch (header[0]) {
            case 'Q' -> {
                return payload.complete() && isCommit(payload.cString(0)) && listener.commitSeen();
            }
            case 'P' -> parse(payload);
            case 'B' -> bind(payload);
            case 'E' -> {
                String portal = payload.cString(0);
                if (portal != null && commitPortals.contains(portal) && listener.commitSeen()) {
                    cutAtSync = true;
                }
            }
            case 'C' -> close(payload);
            case 'S', 'H' -> {
                return cutAtSync;
            }
            default -> {
                // other messages (Describe, CopyData, password, Terminate, ...) do not matter here
            }
        }
        return false;
    }

    private void startupPacket(Payload payload) {
        int code = payload.int32(0);
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
            phase = Phase.AFTER_ENCRYPTION_REQUEST;
        } else if (code == CANCEL_REQUEST) {
            giveUp("a cancel request");
        } else if (code >>> 16 == 3) {
            phase = Phase.MESSAGES;
        } else {
            giveUp("an unknown startup packet (GSS encryption or not PostgreSQL)");
        }
    }

    private void parse(Payload payload) {
        String name = payload.cString(0);
        if (name == null) {
            return; // a name longer than the kept bytes: pgjdbc never makes one
        }
        int textStart = payload.endOfCString(0) + 1;
        String text = payload.complete() ? payload.cString(textStart) : null;
        if (isCommit(text)) {
            commitStatements.add(name);
        } else {
            commitStatements.remove(name);
        }
    }

    private void bind(Payload payload) {
        String portal = payload.cString(0);
        if (portal == null) {
            return;
        }
        String statement = payload.cString(payload.endOfCString(0) + 1);
        if (statement != null && commitStatements.contains(statement)) {
            commitPortals.add(portal);
        } else {
            commitPortals.remove(portal);
        }
    }

    private void close(Payload payload) {
        if (payload.length() < 2) {
            return;
        }
        String name = payload.cString(1);
        if (payload.bytes()[0] == 'S') {
            commitStatements.remove(name);
        } else {
            commitPortals.remove(name);
        }
    }

    private static boolean isCommit(String text) {
        return text != null && CommitSql.matches(text);
    }
}
