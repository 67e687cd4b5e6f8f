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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL resolution by transaction id: {@link #prepare} records the transaction's xid8 and the
 * server history it lives in; {@link #resolve} asks {@code pg_xact_status} on a new connection.
 *
 * <p>An xid answer counts only on the same server history (see {@link ServerHistory}). When it does
 * not count, the optional ledger marker written in the same transaction decides, else UNKNOWN.
 * {@link #prepare} never assigns an xid ({@code pg_current_xact_id_if_assigned()}): a transaction without one
 * wrote nothing, and its token ({@link CommitToken.Unassigned}) resolves at once as NOT_COMMITTED, which is
 * safe to run again. Where a deferrable trigger exists, a unit without an xid is given one (a pending
 * deferred trigger that writes would otherwise get its xid only during COMMIT). The backend pid and postmaster
 * start are read on every commit; the system identifier once per server session of a physical connection (behind
 * a pooler one client connection meets many server sessions, and outlives a server restart).
 *
 * <p>Immutable and thread-safe.
 */
final class TransactionIdResolver implements CommitResolver {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionIdResolver.class);

    /**
     * The xid if one is assigned, never assigning one, except where a deferrable trigger exists: a pending
     * deferred trigger that writes could give the transaction its xid only during COMMIT, after we looked, so
     * there the xid is assigned now (once per unit that wrote nothing, and only on such databases).
     */
    private static final String XID = "CASE WHEN pg_current_xact_id_if_assigned() IS NOT NULL"
            + " THEN pg_current_xact_id_if_assigned()"
            + " WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgdeferrable) THEN pg_current_xact_id() END";
    /** Columns 1-2: the xid or null, and the timeline of the WAL insert position (only needed with an xid). */
    private static final String XID_AND_TIMELINE = "SELECT x::text, CASE WHEN x IS NULL THEN NULL ELSE "
            + ServerHistory.TIMELINE + " END";
    /**
     * Also columns 3-4, on every commit: the backend pid and the postmaster start (cheap), which tell whether this
     * client connection still talks to the server session it talked to before. Behind a pooler in transaction mode
     * (PgBouncer) one client connection is served by many backends and outlives a server restart.
     */
    private static final String PREPARE = XID_AND_TIMELINE + ", pg_backend_pid(), " + ServerHistory.POSTMASTER_START
            + " FROM (SELECT " + XID + " AS x) t";
    /** Also column 5: the system identifier (reads the control file: only when the server session is new). */
    private static final String PREPARE_FIRST = XID_AND_TIMELINE + ", pg_backend_pid(), "
            + ServerHistory.POSTMASTER_START + ", s.system_identifier FROM (SELECT " + XID + " AS x) t,"
            + " pg_control_system() s";
    private static final String SYSTEM_IDENTIFIER = "SELECT system_identifier FROM pg_control_system()";
    private static final String STATUS = "SELECT pg_xact_status(CAST(CAST(? AS text) AS xid8))";
    /**
     * Terminates the old backend only while it sits idle inside this very transaction (backend_xid is 32-bit):
     * the COMMIT has not reached it, so ending it aborts the transaction. A backend that is committing (state
     * active: deferred triggers, waiting for a synchronous standby) is never ended: PostgreSQL would keep its
     * commit locally, unreplicated, or a slow commit could never succeed.
     */
    private static final String TERMINATE = "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
            + " WHERE a.pid = ? AND a.backend_xid = CAST(CAST(? AS text) AS xid) AND a.state = 'idle in transaction'";
    /** Whether commits on this server wait for a synchronous standby. */
    static final String SYNCHRONOUS = "SELECT current_setting('synchronous_standby_names') <> ''";
    /** "transaction ID ... is in the future" (invalid_parameter_value). */
    private static final String XID_IN_FUTURE = "22023";

    private final Optional<LedgerResolver> ledger;
    private final Duration maxPause;
    /** Per physical connection, weakly held: a connection the pool closes is forgotten with it. */
    private final Map<Connection, ServerIdentity> identities = Collections.synchronizedMap(new WeakHashMap<>());

    TransactionIdResolver(Optional<LedgerResolver> ledger, Duration maxPause) {
        this.ledger = ledger;
        this.maxPause = maxPause;
    }

    /** The ledger table this resolver also writes markers to, if any. */
    Optional<LedgerTable> ledgerTable() {
        return ledger.map(LedgerResolver::table);
    }

    @Override
    public CommitResolution strategy() {
        return CommitResolution.TRANSACTION_ID;
    }

    @Override
    public CommitToken prepare(Connection txConnection) throws SQLException {
        // A random marker id costs a SecureRandom draw: only made when a marker is written.
        return ledger.isPresent() ? prepare(txConnection, UUID.randomUUID().toString()) : record(txConnection, null);
    }

    @Override
    public CommitToken prepare(Connection txConnection, String unitId) throws SQLException {
        LedgerTable.checkUnitId(unitId);
        CommitToken.Ledger marker = ledger.isPresent() ? ledger.get().prepare(txConnection, unitId) : null;
        return record(txConnection, marker);
    }

    /**
     * One round trip: the xid (see {@link #XID}) with the timeline, and, on the first commit of a physical
     * connection only, the server's identity.
     */
    private CommitToken record(Connection c, CommitToken.Ledger marker) throws SQLException {
        Connection physical = physical(c);
        ServerIdentity known = identities.get(physical);
        String xid;
        String timeline;
        ServerIdentity identity;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(known == null ? PREPARE_FIRST : PREPARE)) {
            rs.next();
            xid = rs.getString(1);
            timeline = rs.getString(2);
            int pid = rs.getInt(3);
            String postmasterStart = rs.getString(4);
            if (known == null) {
                identity = new ServerIdentity(pid, rs.getLong(5), postmasterStart);
            } else if (known.backendPid() != pid || !known.postmasterStart().equals(postmasterStart)) {
                identity = null; // another server session behind the same client connection (a pooler)
            } else {
                identity = known;
            }
            if (identity == null) {
                identity = new ServerIdentity(pid, systemIdentifier(c), postmasterStart);
            }
        }
        if (identity != known) {
            identities.put(physical, identity);
        }
        if (xid == null) {
            return new CommitToken.Unassigned();
        }
        return new CommitToken.TransactionId(xid, identity.backendPid(), identity.systemIdentifier(),
                Long.parseLong(timeline, 16), identity.postmasterStart(), Optional.ofNullable(marker));
    }

    private static long systemIdentifier(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SYSTEM_IDENTIFIER)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The driver's own connection behind a pool's per-borrow wrapper: the key of what a session keeps. */
    private static Connection physical(Connection c) {
        try {
            Connection inner = c.unwrap(Connection.class);
            return inner == null ? c : inner;
        } catch (SQLException e) {
            return c;
        }
    }

    /** What stays the same for the life of a server session: its backend, cluster and postmaster start. */
    private record ServerIdentity(int backendPid, long systemIdentifier, String postmasterStart) {
    }

    @Override
    public Resolution resolve(CommitToken token, ConnectionSource fresh, Duration budget) {
        if (token instanceof CommitToken.Unassigned) {
            // No xid: the transaction changed nothing, whether or not its COMMIT landed, so it may run again.
            return Resolution.of(CommitOutcome.NOT_COMMITTED, "the transaction had no transaction id: it wrote"
                    + " nothing, so running it again is safe", List.of());
        }
        if (!(token instanceof CommitToken.TransactionId xid)) {
            throw new IllegalArgumentException("the transaction-id resolver cannot resolve a "
                    + token.getClass().getSimpleName());
        }
        return resolve(xid, fresh, Budget.start(budget, maxPause));
    }

    private Resolution resolve(CommitToken.TransactionId token, ConnectionSource fresh, Budget budget) {
        List<SQLException> failures = new ArrayList<>();
        Polls polls = new Polls();
        String last = "no connection could be opened";
        do {
            Step step;
            try (Connection c = fresh.open(); SessionScope scope = SessionScope.open(c, budget)) {
                step = ask(scope, token, failures, polls);
            } catch (SQLException e) {
                failures.add(e);
                last = "resolution failed with SQLState " + e.getSQLState();
                continue;
            }
            // Acted on after the connection is back: the ledger fallback needs one of its own.
            if (step.outcome() != null) {
                return Resolution.of(step.outcome(), step.detail(), failures);
            }
            if (step.untrusted()) {
                return untrusted(token, fresh, budget, failures, step.detail());
            }
            last = step.detail();
        } while (budget.pause());
        return Resolution.of(CommitOutcome.UNKNOWN, "resolution budget spent: " + last, failures);
    }

    /** One poll's finding: a final outcome, an xid answer that does not count, or "ask again". */
    private record Step(CommitOutcome outcome, boolean untrusted, String detail) {
        static Step done(CommitOutcome outcome, String detail) {
            return new Step(outcome, false, detail);
        }

        static Step distrust(String why) {
            return new Step(null, true, why);
        }

        static Step again(String why) {
            return new Step(null, false, why);
        }
    }

    /** What earlier polls of one resolution did. */
    private static final class Polls {
        /** A backend was terminated: the server saw it idle in the transaction, but it may have begun to commit. */
        boolean terminated;
    }

    private static Step ask(SessionScope scope, CommitToken.TransactionId token, List<SQLException> failures,
                            Polls polls) throws SQLException {
        ServerHistory then = new ServerHistory(token.systemIdentifier(), token.timeline(), token.postmasterStart());
        ServerHistory now = ServerHistory.current(scope);
        if (!now.sameHistoryAs(then)) {
            return Step.distrust("the server history changed (system identifier " + then.systemIdentifier()
                    + " timeline " + then.timeline() + " then, " + now.systemIdentifier() + " timeline "
                    + now.timeline() + " now)");
        }
        boolean restarted = !now.postmasterStart().equals(then.postmasterStart());
        return switch (status(scope, token.xid())) {
            // A crash can lose an xid that never reached durable WAL and hand it out again.
            case "committed" -> {
                if (restarted) {
                    yield Step.distrust("the server restarted, so a committed xid may belong to a later transaction");
                }
                if (polls.terminated && synchronous(scope)) {
                    // The COMMIT reached the backend between our look at it and the signal: the commit stands
                    // locally, but the signal ended its wait for the synchronous standby.
                    yield Step.done(CommitOutcome.UNKNOWN, "pg_xact_status: committed, but the backend was terminated"
                            + " while committing, so the commit may not have reached the synchronous standby");
                }
                yield Step.done(CommitOutcome.COMMITTED, "pg_xact_status: committed");
            }
            case "aborted" -> Step.done(CommitOutcome.NOT_COMMITTED, "pg_xact_status: aborted");
            case "in progress" -> {
                if (restarted) {
                    // A restart ends every transaction; a live one with this xid is a later one.
                    yield Step.done(CommitOutcome.NOT_COMMITTED,
                            "the server restarted and the xid now belongs to a later transaction");
                }
                polls.terminated |= terminateIdleBackend(scope, token, failures);
                yield Step.again("the transaction is still in progress (committing, or its session has not"
                        + " yet noticed the lost connection)");
            }
            // A committed transaction made its xid durable, so after a restart it cannot be in the future.
            case "future" -> restarted
                    ? Step.done(CommitOutcome.NOT_COMMITTED, "the server restarted and never made the xid durable")
                    : Step.distrust("the xid lies in the server's future");
            // null: older than the oldest commit-log page kept (wraparound); nothing to ask.
            default -> Step.distrust("the xid is too old for pg_xact_status");
        };
    }

    private Resolution untrusted(CommitToken.TransactionId token, ConnectionSource fresh, Budget budget,
                                 List<SQLException> failures, String why) {
        if (token.ledger().isPresent() && ledger.isPresent()) {
            LOG.info("commit resolution: xid answer does not count ({}); asking the commit ledger", why);
            Resolution byLedger = ledger.get().resolve(token.ledger().get(), fresh, budget, failures);
            return Resolution.of(byLedger.outcome(), why + "; " + byLedger.detail(), byLedger.failures());
        }
        return Resolution.of(CommitOutcome.UNKNOWN, why + "; no commit marker to fall back on", failures);
    }

    private static String status(SessionScope scope, String xid) throws SQLException {
        try (PreparedStatement s = scope.prepare(STATUS)) {
            s.setString(1, xid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String status = rs.getString(1);
                return status == null ? "too old" : status;
            }
        } catch (SQLException e) {
            if (XID_IN_FUTURE.equals(e.getSQLState())) {
                return "future";
            }
            throw e;
        }
    }

    /** Ends the old backend if it is idle inside the transaction; returns whether it was signalled. */
    private static boolean terminateIdleBackend(SessionScope scope, CommitToken.TransactionId token,
                                                List<SQLException> failures) {
        try (PreparedStatement s = scope.prepare(TERMINATE)) {
            s.setInt(1, token.backendPid());
            s.setString(2, token.shortXid());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    LOG.warn("commit resolution terminated backend {}, which sat idle in the unresolved transaction",
                            token.backendPid());
                    return true;
                }
            }
        } catch (SQLException e) {
            // 42501: not permitted to signal that backend; keep polling, it may still end on its own.
            failures.add(e);
        }
        return false;
    }

    static boolean synchronous(SessionScope scope) throws SQLException {
        try (Statement s = scope.statement(); ResultSet rs = s.executeQuery(SYNCHRONOUS)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
