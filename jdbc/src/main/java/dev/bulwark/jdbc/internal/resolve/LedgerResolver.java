package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolution by a commit-marker row: {@link #prepare} inserts the unit's random id into the ledger
 * table inside the transaction, so the row exists exactly when the transaction committed.
 *
 * <p>An absent row alone proves nothing while the old transaction may still commit (its server
 * session may not yet have noticed the dead socket). So before answering NOT_COMMITTED the resolver
 * inserts the same id itself, in a transaction it always rolls back: the key's uniqueness makes that
 * insert fail as a duplicate if the marker committed, wait on the lock if the old transaction still
 * holds the uncommitted marker, and succeed only if the old transaction is over without committing.
 * A held key usually means the old session is alive: on PostgreSQL and MariaDB/MySQL the resolver ends that
 * session (recorded in the token) if it sits idle in its transaction, never while it is committing, then
 * polls again within the budget; a commit still running when the budget ends is UNKNOWN. A wait is no proof
 * that the old session is on this server (a gap lock of another session also makes the probe wait, and on a
 * Galera cluster the resolution may reach another node, whose thread ids are its own), so on MariaDB/MySQL
 * the session is ended only on the server the token recorded.
 *
 * <p>Immutable and thread-safe.
 */
final class LedgerResolver implements CommitResolver {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerResolver.class);

    private final LedgerTable table;
    private final Duration maxPause;

    LedgerResolver(LedgerTable table, Duration maxPause) {
        this.table = Objects.requireNonNull(table, "table");
        this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
    }

    LedgerTable table() {
        return table;
    }

    @Override
    public CommitResolution strategy() {
        return CommitResolution.LEDGER;
    }

    @Override
    public CommitToken prepare(Connection txConnection) throws SQLException {
        return prepare(txConnection, UUID.randomUUID().toString());
    }

    @Override
    public CommitToken.Ledger prepare(Connection txConnection, String unitId) throws SQLException {
        LedgerTable.checkUnitId(unitId);
        long session = -1;
        String server = "";
        try (PreparedStatement insert = txConnection.prepareStatement(table.insertSql())) {
            insert.setString(1, unitId);
            switch (table.dialect()) {
                case POSTGRESQL -> {
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        session = rs.getLong(1);
                    }
                }
                case MARIADB -> {
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        session = rs.getLong(1);
                        server = rs.getString(2);
                    }
                }
                case MYSQL -> {
                    insert.executeUpdate();
                    try (Statement s = txConnection.createStatement();
                         ResultSet rs = s.executeQuery("SELECT CONNECTION_ID(), " + LedgerTable.SERVER)) {
                        rs.next();
                        session = rs.getLong(1);
                        server = rs.getString(2);
                    }
                }
                case SQLITE, OTHER -> insert.executeUpdate();
            }
        }
        return new CommitToken.Ledger(unitId, session, server == null ? "" : server);
    }

    @Override
    public Resolution resolve(CommitToken token, ConnectionSource fresh, Duration budget) {
        if (!(token instanceof CommitToken.Ledger ledger)) {
            throw new IllegalArgumentException("the ledger resolver cannot resolve a " + token.getClass().getSimpleName());
        }
        return resolve(ledger, fresh, Budget.start(budget, maxPause), new ArrayList<>());
    }

    Resolution resolve(CommitToken.Ledger token, ConnectionSource fresh, Budget budget, List<SQLException> failures) {
        String last = "no connection could be opened";
        boolean ended = false;
        do {
            try (Connection c = fresh.open(); SessionScope scope = SessionScope.open(c, budget);
                 CausalReads causal = CausalReads.on(scope, table.dialect())) {
                Probe probe = markerPresent(scope, token.unitId()) ? Probe.PRESENT : probe(scope, token.unitId());
                if ((probe == Probe.PRESENT || probe == Probe.DUPLICATE) && ended && replicaWaitMayHaveBeenCut(scope)) {
                    return Resolution.of(CommitOutcome.UNKNOWN, "commit marker present, but its session was ended"
                            + " while it may have been committing, so the commit may not have reached the replica",
                            failures);
                }
                switch (probe) {
                    case PRESENT -> {
                        return Resolution.of(CommitOutcome.COMMITTED, "commit marker present in " + table.name(), failures);
                    }
                    case DUPLICATE -> {
                        return Resolution.of(CommitOutcome.COMMITTED,
                                "commit marker committed while resolving", failures);
                    }
                    case INSERTED -> {
                        return Resolution.of(CommitOutcome.NOT_COMMITTED, "commit marker absent and its key free:"
                                + " the transaction ended without committing", failures);
                    }
                    case HELD -> {
                        last = "the old transaction is still open (committing, or idle and not yet ended)"
                                + " and holds its commit marker";
                        ended |= endIdleSession(scope, token, failures);
                    }
                }
            } catch (SQLException e) {
                failures.add(e);
                last = "resolution failed with SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode();
            }
        } while (budget.pause());
        return Resolution.of(CommitOutcome.UNKNOWN, "resolution budget spent: " + last, failures);
    }

    private boolean markerPresent(SessionScope scope, String unitId) throws SQLException {
        try (PreparedStatement s = scope.prepare(table.existsSql())) {
            s.setString(1, unitId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private enum Probe { PRESENT, DUPLICATE, INSERTED, HELD }

    private Probe probe(SessionScope scope, String unitId) throws SQLException {
        Connection c = scope.connection();
        SQLException failure;
        c.setAutoCommit(false);
        ProbeLimits limits = ProbeLimits.apply(scope, table.dialect());
        try (PreparedStatement insert = scope.prepare(table.probeSql())) {
            insert.setString(1, unitId);
            // Waiting on the old transaction's lock is the answer "still open": wait briefly, then poll.
            // MariaDB's driver turns a query timeout into its own SET STATEMENT prefix, which cannot
            // precede ours: there the probe's innodb_lock_wait_timeout alone bounds the wait.
            insert.setQueryTimeout(table.dialect() == Dialect.MARIADB ? 0 : 1);
            insert.executeUpdate();
            return Probe.INSERTED;
        } catch (SQLException e) {
            if (ProbeLimits.isLockHeld(e)) {
                return Probe.HELD;
            }
            failure = e;
        } finally {
            c.rollback();
            limits.restore();
            c.setAutoCommit(true);
        }
        // Most likely a duplicate key: the marker committed since we looked. Rather than trust an error
        // code (SQLite reports every constraint as 19; MariaDB's 23000 includes NOT NULL), look again.
        if (markerPresent(scope, unitId)) {
            return Probe.DUPLICATE;
        }
        throw failure;
    }

    /**
     * Ends the recorded session, but only while it sits idle in its transaction (the COMMIT has not reached
     * it, so ending it rolls the transaction back). A session that is committing (deferred triggers, waiting
     * for a synchronous or semi-synchronous replica) is left alone: ending it would keep an unreplicated
     * commit or kill a slow one. Returns whether the session was ended.
     */
    private boolean endIdleSession(SessionScope scope, CommitToken.Ledger token, List<SQLException> failures) {
        long sessionId = token.sessionId();
        if (sessionId < 0) {
            return false;
        }
        // On the unit's own server the recorded session is the unit's: PostgreSQL pids recycle only after
        // the OS pid space wraps and MariaDB thread ids never repeat within a server run. Another server
        // (a Galera node reached through a failover URL) is excluded below by its recorded identity.
        try {
            return switch (table.dialect()) {
                case POSTGRESQL -> {
                    try (Statement s = scope.statement(); ResultSet rs = s.executeQuery(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = " + sessionId
                                    + " AND state = 'idle in transaction'")) {
                        yield logEnded(rs.next() && rs.getBoolean(1), sessionId);
                    }
                }
                case MARIADB, MYSQL -> {
                    // MariaDB has no conditional KILL: look, then kill (see endedWhileCommitting for the race).
                    // Thread ids are per server, and HELD means only that the probe waited on some lock (a
                    // gap lock of another session also makes it wait): on a Galera cluster reached through a
                    // failover URL this connection may be on another node, where the same id is another
                    // session. So the look also reads this server's identity, in the same round trip.
                    String here;
                    try (Statement s = scope.statement(); ResultSet rs = s.executeQuery(
                            "SELECT " + LedgerTable.SERVER + " FROM information_schema.PROCESSLIST WHERE ID = "
                                    + sessionId + " AND COMMAND = 'Sleep'")) {
                        here = rs.next() ? rs.getString(1) : null;
                    }
                    if (here == null) {
                        yield false;
                    }
                    if (!token.server().isEmpty() && !token.server().equals(here)) {
                        LOG.debug("not ending session {}: it was on server {}, this resolution is on {}",
                                sessionId, token.server(), here);
                        yield false;
                    }
                    try (Statement s = scope.statement()) {
                        s.execute("KILL CONNECTION " + sessionId);
                    }
                    yield logEnded(true, sessionId);
                }
                case SQLITE, OTHER -> false;
            };
        } catch (SQLException e) {
            // MariaDB 1094 "unknown thread id": the session ended on its own meanwhile, which is what we wanted.
            if (e.getErrorCode() == 1094) {
                LOG.debug("server session {} already gone", sessionId);
            } else {
                failures.add(e);
            }
            return false;
        }
    }

    private static boolean logEnded(boolean ended, long sessionId) {
        if (ended) {
            LOG.warn("commit resolution ended server session {}, which sat idle holding an uncommitted commit marker",
                    sessionId);
        }
        return ended;
    }

    /**
     * Whether a session this resolution ended may have been committing when the signal arrived (its COMMIT
     * arrived between the look and the signal) on a server whose commits wait for a replica: the signal
     * ends that wait, so a marker found afterwards proves a local commit, not a replicated one.
     */
    private boolean replicaWaitMayHaveBeenCut(SessionScope scope) {
        String sql = switch (table.dialect()) {
            case POSTGRESQL -> TransactionIdResolver.SYNCHRONOUS;
            case MARIADB -> "SELECT @@rpl_semi_sync_master_enabled";
            case MYSQL, SQLITE, OTHER -> null;
        };
        if (sql == null) {
            return false;
        }
        try (Statement s = scope.statement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return true; // cannot tell: do not claim a replicated commit
        }
    }
}
