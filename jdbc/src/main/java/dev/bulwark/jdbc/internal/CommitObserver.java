package dev.bulwark.jdbc.internal;

import java.sql.Connection;

/**
 * Told about every unit that committed (and may have written) on a data source, on the unit's thread, after its
 * COMMIT and before its connection goes back: a cluster router uses it to learn the commit's replication position
 * for read-your-writes. Implementations must not throw and must not change the connection's state beyond what a
 * plain query does; the unit has committed and nothing may fail it now.
 */
public interface CommitObserver {

    /** The unit committed; {@code physical} is its connection, still open and in its unit's settings. */
    void committed(Connection physical);

    /** The unit committed, but its connection is gone (a lost acknowledgement resolved as committed). */
    void committedWithoutConnection();
}
