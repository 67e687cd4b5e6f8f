package dev.bulwark.jdbc.internal.resolve;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a MariaDB Galera node, makes the resolution session's reads causal ({@code wsrep_sync_wait = 1}): the node
 * first applies every write set the cluster ordered before the read. Galera replicates a commit to every node
 * before it is acknowledged, but applies it on the other nodes a moment later; a lost COMMIT whose node died is
 * resolved on another node, where without this the marker of a transaction that did commit may not be visible
 * yet, and the unit would be run twice. Elsewhere (no wsrep, or wsrep off) it does nothing. Closing it puts the
 * session's previous setting back, since the connection returns to the pool. Not thread-safe (one session).
 */
final class CausalReads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CausalReads.class);

    private static final CausalReads NONE = new CausalReads(null, -1);

    private final SessionScope scope;
    private final long previous;

    private CausalReads(SessionScope scope, long previous) {
        this.scope = scope;
        this.previous = previous;
    }

    static CausalReads on(SessionScope scope, Dialect dialect) throws SQLException {
        if (dialect != Dialect.MARIADB) {
            return NONE;
        }
        long previous;
        try (Statement s = scope.statement();
             ResultSet rs = s.executeQuery("SELECT @@wsrep_on, @@session.wsrep_sync_wait")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return NONE;
            }
            previous = rs.getLong(2);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1193) { // unknown system variable: a server built without Galera
                return NONE;
            }
            throw e;
        }
        if ((previous & 1) == 0) {
            try (Statement s = scope.statement()) {
                s.execute("SET SESSION wsrep_sync_wait = " + (previous | 1));
            }
        }
        return new CausalReads(scope, previous);
    }

    /** Never throws: the answer read before must not be lost to a failed restore (causal reads only cost time). */
    @Override
    public void close() {
        if (scope == null || (previous & 1) != 0) {
            return;
        }
        try (Statement s = scope.statement()) {
            s.execute("SET SESSION wsrep_sync_wait = " + previous);
        } catch (SQLException e) {
            LOG.debug("could not restore wsrep_sync_wait on a resolution connection: {}", e.toString());
        }
    }
}
