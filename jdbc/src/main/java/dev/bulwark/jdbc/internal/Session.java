package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.internal.SqlLiterals;
import dev.bulwark.core.RetryScope;
import dev.bulwark.jdbc.StatementObserver;
import dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks;
import dev.bulwark.jdbc.internal.wrapper.StatementWrapper;
import dev.bulwark.jdbc.internal.wrapper.WrapperContext;
import dev.bulwark.jdbc.internal.wrapper.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One borrowed physical connection and what Bulwark knows about it: the hooks of its wrapper. Every
 * driver exception is classified once, put on the JDK hierarchy, and a connection whose fault calls for
 * it is marked so that closing it evicts it from the pool instead of returning it.
 *
 * <p>A session lent to a unit of work refuses, before anything is sent, what would take the transaction out
 * of the unit's hands: the boundaries ({@code commit}, {@code rollback}, {@code setAutoCommit},
 * {@code setReadOnly}, {@code setTransactionIsolation}, {@code abort}), {@code unwrap} to a
 * {@code java.sql.Connection}, and SQL-level transaction control ({@link TransactionControl}). It turns
 * {@code close()} into a no-op, so DAO code using try-with-resources inside a unit works unchanged. After a
 * fault that ended (or may have ended) the server's transaction it is rollback-only: every later statement
 * and the unit's commit fail.
 *
 * <p>A standalone session tracks the connection's autocommit mode, so a statement lost inside the
 * application's own transaction is reported as rolled back, and its plain {@code commit()} is resolved when
 * the acknowledgement is lost ({@link LostCommit#commitPlain}).
 *
 * <p>Every call that may wait for the database is watched ({@link Watchdog}): the session publishes the bound
 * of the call in flight (the unit's deadline, the commit's or rollback's share of its phase, or for a standalone
 * connection {@code bulwark.timeout.total} from the call's start), and a call still in flight past it has its
 * connection aborted; what the driver then throws is reported as the deadline exceeded, and the connection is
 * evicted.
 *
 * <p>Used by one thread at a time, as JDBC connections are; the eviction mark is volatile because
 * {@code abort}, health checks and the watchdog may read it from elsewhere.
 */
final class Session implements JdbcHooks {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final Logger SQL_LOG = LoggerFactory.getLogger("dev.bulwark.jdbc.sql");

    /** Socket timeouts fire a little early or late; within this of the deadline, the deadline caused it. */
    private static final long DEADLINE_SLACK_NANOS = 50_000_000L;
    /**
     * Before each statement of a deadline-bound unit the network timeout is shrunk to what is left of the
     * deadline, but only once it exceeds that by more than this: one driver call per tenth of a second of the
     * unit at most, and a statement ends at most this long after the deadline.
     */
    private static final long SHRINK_TOLERANCE_NANOS = 100_000_000L;
    private static final String READ_ONLY_WRITE = "a write in a read-only unit";
    private static final VarHandle CALL_BOUND;
    private static final VarHandle ABORTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALL_BOUND = lookup.findVarHandle(Session.class, "callBound", long.class);
            ABORTED = lookup.findVarHandle(Session.class, "aborted", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ResilientDataSource owner;
    private final Connection physical;
    private final ConnectionWrapper wrapper;
    private volatile boolean lent;
    private volatile Fault evictingFault;
    private volatile boolean evicted;
    private long deadlineNanos; // 0: none; the unit's end, pushed into query timeouts
    private volatile SQLException handled; // the last exception the hooks acted on and returned
    private byte serverTimeout; // 0: not asked yet; 1: the session enforces the default statement timeout; -1: no
    private int lentNetworkMillis = -1; // the network timeout the connection came with (0: none); -1: not read yet
    private int networkMillis; // the network timeout on the connection now, once lentNetworkMillis was read

    /** The watchdog of the owner, or null: this session is not watched (SQLite, no free slot). */
    private final Watchdog watchdog;
    private final int watchSlot;
    /** When the call in flight must be over ({@link System#nanoTime()}), 0 when none is; release stores only. */
    @SuppressWarnings("unused") // through CALL_BOUND
    private long callBound;
    /** Set once by the watchdog when it aborted the connection. */
    @SuppressWarnings("unused") // through ABORTED
    private volatile boolean aborted;

    private final boolean unknownWritesAre08007;
    private final StatementObserver[] observers; // null when none (the common case)

    // ---- what the session knows about its transaction ----
    /** Lent to a unit that runs a transaction (not an autocommit unit): it may nest and become rollback-only. */
    private final boolean transactional;
    /** Lent to a read-only unit: the server's refusal of a write is the unit's doing, not a failover. */
    private final boolean readOnly;
    /** The server commits implicitly on DDL (MySQL, MariaDB): such statements are refused inside a unit. */
    private final boolean implicitCommits;
    /**
     * The connection's autocommit mode as last set through this session: asked of the connection once, when
     * the session begins, so that a failure can be judged after the connection is gone.
     */
    private boolean autoCommit;
    /** A statement ran since the application's transaction began: switching autocommit on commits it. */
    private boolean statementSinceBegin;
    private Fault rollbackOnlyFault; // the fault that ended the unit's transaction; null while it can commit
    private SQLException rollbackOnlyCause;
    private int savepoints; // nesting depth: the open savepoints of nested units
    private List<Savepoint> soundSavepoints; // the work's own, set before any fault; null until it sets one

    private Session(ResilientDataSource owner, Connection physical, boolean lent, boolean unknownWritesAre08007,
                    boolean transactional, boolean readOnly, boolean implicitCommits, boolean autoCommit) {
        this.owner = owner;
        this.physical = physical;
        this.lent = lent;
        this.unknownWritesAre08007 = unknownWritesAre08007;
        this.transactional = transactional;
        this.readOnly = readOnly;
        this.implicitCommits = implicitCommits;
        this.autoCommit = autoCommit;
        this.observers = owner.statementObservers();
        this.wrapper = Wrappers.wrap(physical, this);
        Watchdog w = owner.watchdog();
        int slot = w == null ? -1 : w.watch(this);
        this.watchdog = slot < 0 ? null : w;
        this.watchSlot = slot;
    }

    /** A session for a connection handed to the application directly. */
    static Session standalone(ResilientDataSource owner, Connection physical) throws SQLException {
        boolean autoCommit;
        try {
            autoCommit = physical.getAutoCommit();
        } catch (SQLException e) {
            Fault fault = owner.classifier().classify(e);
            owner.evict(physical, fault); // never handed out: nobody else would close it
            throw SqlExceptions.translate(e, fault);
        }
        return new Session(owner, physical, false, true, false, false, false, autoCommit);
    }

    /**
     * A session for a connection lent to the work of a unit; {@code unknownWritesAre08007} for autocommit
     * work that is not idempotent (a transaction's writes are settled by its COMMIT instead).
     */
    static Session lent(ResilientDataSource owner, Connection physical, long deadlineNanos,
                        boolean unknownWritesAre08007, boolean transactional, boolean readOnly,
                        ServerFamily family) {
        Session s = new Session(owner, physical, true, unknownWritesAre08007, transactional, readOnly,
                family == ServerFamily.MYSQL, !transactional);
        s.deadlineNanos = deadlineNanos;
        return s;
    }

    ConnectionWrapper wrapper() {
        return wrapper;
    }

    Connection physical() {
        return physical;
    }

    /** The fault that condemned this connection, or null while it is healthy. */
    Fault evictingFault() {
        return evictingFault;
    }

    /** Marks the connection for eviction because of {@code fault}; it is evicted when released. */
    void condemn(Fault fault) {
        if (evictingFault == null) {
            evictingFault = fault;
        }
    }

    /** Evicts the connection now (its pool slot is needed at once, e.g. to resolve a lost commit). */
    void evictNow(Fault fault) {
        condemn(fault);
        if (!evicted) {
            evicted = true;
            owner.evict(physical, evictingFault);
        }
    }

    @Override
    public SQLException onException(SQLException exception, WrapperContext context) {
        if (exception == handled) {
            return exception; // the unit sees again what a statement already reported: act on a fault once
        }
        Fault fault = actOn(exception);
        SQLException translated;
        if (aborted) {
            condemn(fault); // whatever the driver made of the abort, the connection is gone
            translated = SqlExceptions.deadlineExceeded(owner.name(), exception);
        } else if (deadlinePassed(fault)) {
            owner.onSilentServer(fault); // idle connections to a server that stopped answering would hang too
            translated = SqlExceptions.deadlineExceeded(owner.name(), exception);
        } else if (fault.message() == READ_ONLY_WRITE) { // reclassified by actOn: the constant itself
            translated = SqlExceptions.writeInReadOnlyUnit(owner.name(), exception);
        } else {
            translated = SqlExceptions.translate(exception, fault);
        }
        handled = translated;
        return translated;
    }

    /**
     * An exception the unit's work threw itself. A driver exception that passed through the wrappers was
     * handled already and comes back as it was returned; the application's own exception (not driver text)
     * is classified and acted on like any other, but reaches the caller unchanged, message included.
     */
    SQLException fromWork(SQLException exception) {
        if (exception == handled) {
            return exception;
        }
        actOn(exception);
        handled = exception;
        return exception;
    }

    /** Classifies a failure once and does what its kind calls for: evict this connection, or the whole pool. */
    private Fault actOn(SQLException exception) {
        Fault fault = owner.classifier().classify(exception);
        if (readOnly && fault.kind() == FaultKind.READ_ONLY) {
            // The server refused a write because the unit is read-only: the unit's own doing, not a failover,
            // and running it again would be refused the same way.
            fault = fault.withKind(FaultKind.PROGRAMMING, RetryScope.NONE, false, READ_ONLY_WRITE,
                    "declare the unit read-write, or move the write out of it");
        }
        if (fault.kind().evictsConnection()) {
            condemn(fault);
        }
        if (fault.kind() == FaultKind.READ_ONLY && !readOnly) {
            owner.onReadOnly(fault); // a failover demoted the server: every pooled connection is stale
        }
        if (transactional && lent && fault.retryable()) {
            // A fault Bulwark answers by running the whole unit again ended (or may have ended) the server's
            // transaction: InnoDB rolls back a deadlock's victim, and later statements would open a new
            // transaction that must not be committed as the unit, even if the work catches this and goes on.
            markRollbackOnly(fault, exception);
        }
        return fault;
    }

    private void markRollbackOnly(Fault fault, SQLException cause) {
        if (rollbackOnlyFault == null) {
            rollbackOnlyFault = fault;
            rollbackOnlyCause = cause;
        }
    }

    /**
     * Throws if the unit's transaction was ended by an earlier fault: the unit must not commit.
     *
     * @throws SQLException SQLState 40000 (the unit is run again) or 25000
     */
    void refuseIfRollbackOnly() throws SQLException {
        if (rollbackOnlyFault != null) {
            throw SqlExceptions.rollbackOnly(owner.name(), rollbackOnlyFault, rollbackOnlyCause);
        }
    }

    /** Whether this session runs a unit's transaction (nested units may set savepoints in it). */
    boolean transactional() {
        return transactional;
    }

    /** The transaction survived the fault that marked it (the server accepted a rollback to a savepoint). */
    void forgiveRollbackOnly() {
        rollbackOnlyFault = null;
        rollbackOnlyCause = null;
    }

    /** Marks the unit rollback-only because {@code cause} left its transaction unusable. */
    void markRollbackOnly(SQLException cause) {
        markRollbackOnly(owner.classifier().classify(cause), cause);
    }

    /** One level deeper in nested units; returns the new depth (names its savepoint). */
    int enterNested() {
        return ++savepoints;
    }

    void leaveNested() {
        savepoints--;
    }

    /** Runs Bulwark's own statement on the connection, past the refusals; its failure is classified. */
    void runOwn(String sql) throws SQLException {
        if (deadlineNanos != 0) {
            shrinkToDeadline(); // a nested unit's SAVEPOINT late in the unit must not wait past its deadline
        }
        enterCall();
        try (Statement s = physical.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw onException(e, wrapper);
        } finally {
            exitCall();
        }
    }

    // ---- the watchdog's view ----

    /**
     * A call that may wait for the database begins: its bound is the unit's deadline, or on a standalone
     * connection {@code bulwark.timeout.total} from now (the watchdog's coarse clock: up to one sweep early).
     */
    @Override
    public void enterCall() {
        if (watchdog != null) {
            CALL_BOUND.setRelease(this, deadlineNanos != 0 ? deadlineNanos
                    : watchdog.clock() + owner.standaloneCallNanos());
        }
    }

    /** A call that may wait for the database begins, to be over by {@code boundNanos}. */
    void enterCall(long boundNanos) {
        if (watchdog != null) {
            CALL_BOUND.setRelease(this, boundNanos == 0 ? 1 : boundNanos);
        }
    }

    @Override
    public void exitCall() {
        if (watchdog != null) {
            CALL_BOUND.setRelease(this, 0L);
        }
    }

    /** A rollback, or a reset after the unit, begins: bounded as {@link #applyRollbackTimeout} bounds its reads. */
    void enterRollbackCall() {
        if (watchdog != null) {
            enterCall(System.nanoTime() + owner.rollbackNetworkMillis(deadlineNanos) * 1_000_000L);
        }
    }

    /** For the watchdog: the bound of the call in flight, 0 when none is. */
    long callBound() {
        return (long) CALL_BOUND.getAcquire(this);
    }

    /** For the watchdog: marks the connection aborted; false if it was already. */
    boolean markAborted() {
        if (!ABORTED.compareAndSet(this, false, true)) {
            return false;
        }
        // A lost connection, as the driver will report it: evicted, and an autocommit write in flight is 08007.
        condemn(owner.classifier().classify(new SQLNonTransientConnectionException(owner.name()
                + ": connection aborted past the call's deadline", "08006")));
        return true;
    }

    /** Whether the watchdog aborted this session's connection. */
    boolean aborted() {
        return aborted;
    }

    /** The connection goes back (or is evicted): the watchdog no longer looks at it. */
    private void unwatch() {
        if (watchdog != null) {
            CALL_BOUND.setRelease(this, 0L);
            watchdog.unwatch(this, watchSlot);
        }
    }

    /**
     * Whether a connection failure is the unit's own deadline at work: the network timeout is set to what is
     * left of it, so a socket read that times out at the deadline is a timeout, not a lost server.
     */
    private boolean deadlinePassed(Fault fault) {
        return deadlineNanos != 0 && fault.kind() == FaultKind.CONNECTION
                && System.nanoTime() - deadlineNanos >= -DEADLINE_SLACK_NANOS;
    }

    @Override
    public <T> T aroundExecute(StatementWrapper<?> statement, Execution kind, String sql, SqlCall<T> execution)
            throws SQLException {
        if (lent) {
            refuseInsideUnit(sql);
        }
        if (observers != null) {
            for (StatementObserver observer : observers) {
                observer.beforeExecute(physical, sql); // throwing refuses the statement: it is not run
            }
        }
        if (sql != null && serverEnforcesDefault() && mayChangeStatementTimeout(sql)) {
            serverTimeout = -1; // from now on this session bounds its statements itself
            owner.forgetServerStatementTimeout(physical);
        }
        if (deadlineNanos != 0) {
            shrinkToDeadline();
        }
        int timeout = queryTimeoutSeconds();
        if (timeout > 0) {
            statement.limitQueryTimeout(timeout); // never longer than the caller's own setQueryTimeout
        }
        if (owner.maxRows() > 0) {
            statement.setMaxRows(owner.maxRows()); // result-size guard, enforced by the driver
        }
        if (owner.fetchSize() > 0) {
            statement.setFetchSize(owner.fetchSize()); // stream large results instead of buffering them
        }
        if (!autoCommit) {
            statementSinceBegin = true;
        }
        long start = System.nanoTime();
        enterCall();
        try {
            return execution.call();
        } catch (SQLException e) {
            exitCall();
            throw unknownWrite(kind, sql, e);
        } finally {
            exitCall();
            long elapsed = System.nanoTime() - start;
            if (elapsed >= owner.slowStatementNanos()) {
                owner.onSlowStatement(kind, sql, elapsed);
            } else if (SQL_LOG.isDebugEnabled()) {
                SQL_LOG.debug("{}: {} in {} µs: {}", owner.name(), kind, elapsed / 1000, SqlLiterals.redact(sql));
            }
        }
    }

    /**
     * An autocommit write whose connection was lost mid-statement may or may not have been applied: it
     * surfaces as 08007 (resolution unknown), so nobody mistakes it for a failure that is safe to repeat.
     */
    private SQLException unknownWrite(Execution kind, String sql, SQLException e) {
        if (!unknownWritesAre08007 || kind == Execution.QUERY && !TransactionControl.mayWrite(sql) || evictingFault == null
                || evictingFault.kind() != FaultKind.CONNECTION) {
            return e;
        }
        if (!autoCommit && (sql == null || TransactionControl.refusal(sql, true) == null)) {
            // Inside the caller's own transaction nothing is applied before its COMMIT, and the server rolls
            // back the transaction of a lost connection. Not so when the statement itself ends the transaction
            // (SQL COMMIT or END, or DDL that commits implicitly on MySQL/MariaDB): that one may have committed.
            return SqlExceptions.lostInsideTransaction(owner.name(), e);
        }
        return SqlExceptions.writeOutcomeUnknown(owner.name(), e);
    }

    /**
     * Refuses, before anything is sent, SQL that would take the transaction out of the unit's hands, and any
     * statement once the unit's transaction was ended by a fault. Costs a field read and the first keyword.
     */
    private void refuseInsideUnit(String sql) throws SQLException {
        refuseIfRollbackOnly();
        if (sql != null) {
            String refused = TransactionControl.refusal(sql, implicitCommits && transactional);
            if (refused != null) {
                throw SqlExceptions.refusedInUnit(owner.name(), "SQL " + refused, "throw from the work to roll "
                        + "back; use TransactionOptions for isolation and read-only; run DDL that commits "
                        + "implicitly outside the unit");
            }
        }
    }

    /**
     * Seconds for {@code setQueryTimeout}: the default statement timeout, or, when the unit's deadline comes
     * first, one second past it; 0 = none. The deadline itself is enforced by the network timeout the unit
     * set: a driver's cancel is sent on a new connection, and on a hung server pgjdbc waits for it (up to its
     * {@code cancelSignalTimeout}, 10 s) before the statement returns, so the cancel must not fire first.
     * The default is left out where the server enforces it already (PostgreSQL's {@code statement_timeout},
     * set once per physical connection: pgjdbc would otherwise run a timer task per statement).
     */
    private int queryTimeoutSeconds() {
        long defaultNanos = owner.statementTimeoutNanos();
        long limit = defaultNanos;
        if (deadlineNanos != 0) {
            long left = Math.max(1, deadlineNanos - System.nanoTime());
            if (defaultNanos == 0 || left < defaultNanos) {
                limit = left + 1_000_000_000L;
            }
        }
        if (limit == defaultNanos && limit != 0 && serverEnforcesDefault()) {
            return 0;
        }
        return limit == 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (limit + 999_999_999L) / 1_000_000_000L));
    }

    private boolean serverEnforcesDefault() {
        if (serverTimeout == 0) {
            serverTimeout = owner.hasServerStatementTimeout(physical) ? (byte) 1 : (byte) -1;
        }
        return serverTimeout > 0;
    }

    /**
     * Whether a statement may change the session's statement timeout ({@code SET statement_timeout},
     * {@code RESET}, {@code DISCARD}); looks no further than the first word unless it is one of these.
     */
    static boolean mayChangeStatementTimeout(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (sql.regionMatches(true, i, "RESET", 0, 5) || sql.regionMatches(true, i, "DISCARD", 0, 7)) {
            return true;
        }
        return sql.regionMatches(true, i, "SET", 0, 3)
                && sql.toLowerCase(java.util.Locale.ROOT).contains("statement_timeout");
    }

    /**
     * Bounds every socket read of the connection by {@code millis}, never loosening a tighter bound it came
     * with (the user's {@code socketTimeout}, the pool's own setting); set through the connection as lent, and
     * undone on release where the pool would not undo it itself.
     */
    void boundNetworkTimeout(long millis) throws SQLException {
        if (owner.isSqlite()) {
            return; // no socket
        }
        if (lentNetworkMillis < 0) {
            lentNetworkMillis = networkMillis = physical.getNetworkTimeout();
        }
        long bound = Math.max(1, Math.min(Integer.MAX_VALUE, millis));
        if (lentNetworkMillis > 0 && lentNetworkMillis < bound) {
            bound = lentNetworkMillis;
        }
        if (bound != networkMillis) {
            ConnectionSetup.applyNetworkTimeout(physical, (int) bound);
            networkMillis = (int) bound;
        }
    }

    /** A unit's connection: socket reads end at the unit's deadline (see {@link #shrinkToDeadline}). */
    void applyDeadline() throws SQLException {
        boundNetworkTimeout(owner.unitNetworkMillis(deadlineNanos));
    }

    /** Before the COMMIT (and the resolver's query that precedes it): the commit's share of its phase. */
    void applyCommitTimeout(long phaseEndsNanos) throws SQLException {
        boundNetworkTimeout(owner.commitNetworkMillis(phaseEndsNanos));
    }

    /** Before a rollback: bounded so that it neither hangs nor is cut short at once. */
    void applyRollbackTimeout() throws SQLException {
        boundNetworkTimeout(owner.rollbackNetworkMillis(deadlineNanos));
    }

    /**
     * The network timeout was set to what was left of the deadline when it was last set; a statement late in
     * the unit would otherwise wait that long on a server that stopped answering. Shrunk only when it must be.
     */
    private void shrinkToDeadline() throws SQLException {
        long left = deadlineNanos - System.nanoTime();
        if (lentNetworkMillis >= 0 && networkMillis > 0 && networkMillis * 1_000_000L <= left + SHRINK_TOLERANCE_NANOS) {
            return;
        }
        boundNetworkTimeout(Math.max(1, left / 1_000_000));
    }

    /** Puts back the network timeout the connection came with, where the pool would not (see the owner). */
    private void restoreNetworkTimeout() {
        if (lentNetworkMillis < 0 || networkMillis == lentNetworkMillis || !owner.mustRestoreNetworkTimeout(physical)) {
            return;
        }
        try {
            ConnectionSetup.applyNetworkTimeout(physical, lentNetworkMillis);
            networkMillis = lentNetworkMillis;
        } catch (SQLException | RuntimeException e) {
            condemn(owner.classifier().classify(e)); // evicted: it would carry Bulwark's bound to the next borrower
        }
    }

    @Override
    public void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
            throws SQLException {
        if (lent) {
            switch (boundary) {
                case CLOSE -> {
                    return; // the unit closes the connection when it is done with it
                }
                case COMMIT, ROLLBACK, ENABLE_AUTO_COMMIT -> {
                    // The caller believes its writes are now committed, or undone (a transaction manager that
                    // began a "separate" transaction on the unit's own connection): they are neither, so the
                    // unit must not commit them as its own, even if the caller catches this and goes on.
                    SQLException refused = SqlExceptions.refusedInUnit(owner.name(), boundary.toString(),
                            "it commits or rolls back itself; throw from the work to roll back; the unit is now "
                                    + "rollback-only");
                    if (transactional) {
                        markRollbackOnly(refused);
                    }
                    throw refused;
                }
                case DISABLE_AUTO_COMMIT -> throw SqlExceptions.refusedInUnit(owner.name(), boundary.toString(),
                        "it commits or rolls back itself; throw from the work to roll back");
                case SET_READ_ONLY, SET_ISOLATION -> throw SqlExceptions.refusedInUnit(owner.name(),
                        boundary.toString(), "set read-only and isolation through TransactionOptions");
                case ABORT -> throw SqlExceptions.refusedInUnit(owner.name(), boundary.toString(),
                        "its deadline bounds it; throw from the work to end it");
            }
        }
        switch (boundary) {
            case COMMIT -> {
                commitStandalone(action);
                return;
            }
            case ENABLE_AUTO_COMMIT, DISABLE_AUTO_COMMIT -> {
                switchAutoCommit(boundary, action);
                return;
            }
            default -> otherBoundary(boundary, action);
        }
    }

    /** Kept apart from {@link #aroundBoundary} so that each stays small enough to inline on the hot path. */
    private void commitStandalone(SqlAction action) throws SQLException {
        if (autoCommit) {
            watched(action, owner.standaloneCallNanos()); // nothing to commit: the driver answers as it does
            return;
        }
        // Bounded like a unit's COMMIT (a commit waiting for a synchronous standby would otherwise wait
        // the whole network timeout), then back to the bound the connection is lent with.
        try {
            boundNetworkTimeout(owner.plainCommitNetworkMillis());
        } catch (SQLException e) {
            throw onException(e, wrapper); // the COMMIT was not sent
        }
        enterCallFor(owner.plainCommitNetworkMillis() * 1_000_000L); // left before a resolution
        try {
            LostCommit.commitPlain(owner, this, action);
        } finally {
            exitCall();
            reboundStandalone();
        }
        statementSinceBegin = false;
    }

    private void switchAutoCommit(Boundary boundary, SqlAction action) throws SQLException {
        if (boundary == Boundary.ENABLE_AUTO_COMMIT && !autoCommit && statementSinceBegin) {
            // JDBC: switching autocommit on commits the open transaction; its lost acknowledgement is a
            // lost commit like any other
            enterCallFor(owner.plainCommitNetworkMillis() * 1_000_000L);
            try {
                LostCommit.commitPlain(owner, this, action);
            } finally {
                exitCall();
            }
        } else {
            watched(action, owner.standaloneCallNanos());
        }
        autoCommit = boundary == Boundary.ENABLE_AUTO_COMMIT;
        statementSinceBegin = false;
    }

    private void otherBoundary(Boundary boundary, SqlAction action) throws SQLException {
        if (boundary == Boundary.ROLLBACK) {
            statementSinceBegin = false;
        }
        if (boundary == Boundary.CLOSE && evictingFault == null) {
            restoreNetworkTimeout();
        }
        if (boundary == Boundary.ABORT) {
            try {
                action.run();
            } finally {
                unwatch();
            }
            return;
        }
        Fault fault = evictingFault;
        if (boundary == Boundary.CLOSE && fault != null) {
            unwatch();
            evictNow(fault); // before the wrapper's close, so the pool never lends it again
            try {
                action.run();
            } catch (SQLException | RuntimeException e) {
                // The pool has let go of it already. HikariCP closes an evicted connection on another thread
                // and may then fail its own reset on close (NullPointerException): that must not replace the
                // unit's real failure.
                LOG.debug("{}: closing an evicted connection failed: {}", owner.name(), e.toString());
            }
            return;
        }
        try {
            // A pool's close may talk to the server (HikariCP rolls back a dirty transaction), as may a rollback
            // or a setting: bounded like a rollback after a unit, like any call on a standalone connection.
            watched(action, deadlineNanos != 0 ? owner.rollbackNetworkMillis(deadlineNanos) * 1_000_000L
                    : owner.standaloneCallNanos());
        } catch (RuntimeException e) {
            if (boundary != Boundary.CLOSE) {
                throw e;
            }
            // A pool's close that throws an unchecked exception: the JDBC surface throws SQLExceptions only (the
            // pool's own text is left in the cause).
            throw new SQLNonTransientConnectionException(owner.name() + ": closing the connection failed ("
                    + e.getClass().getSimpleName() + ")", "08003", e);
        } finally {
            if (boundary == Boundary.CLOSE) {
                unwatch();
            }
        }
    }

    /** Runs {@code action} watched, to be over {@code forNanos} from now. */
    private void watched(SqlAction action, long forNanos) throws SQLException {
        enterCallFor(forNanos);
        try {
            action.run();
        } finally {
            exitCall();
        }
    }

    /** A call that may wait for the database begins, to be over {@code forNanos} from now. */
    void enterCallFor(long forNanos) {
        if (watchdog != null) {
            enterCall(System.nanoTime() + forNanos);
        }
    }

    /** After a plain COMMIT: the network timeout goes back to what a standalone connection is lent with. */
    private void reboundStandalone() {
        if (evictingFault != null || owner.isSqlite()) {
            return;
        }
        try {
            boundNetworkTimeout(owner.standaloneNetworkMillis());
        } catch (SQLException | RuntimeException e) {
            condemn(owner.classifier().classify(e)); // evicted on close rather than lent with the commit's bound
        }
    }

    /** Remembers the work's savepoints that were set while the unit's transaction was sound. */
    @Override
    public Savepoint aroundSetSavepoint(ConnectionWrapper connection, SqlCall<Savepoint> call) throws SQLException {
        if (deadlineNanos != 0) {
            shrinkToDeadline(); // a round trip like any statement
        }
        Savepoint savepoint;
        enterCall();
        try {
            savepoint = call.call();
        } finally {
            exitCall();
        }
        if (transactional && lent && rollbackOnlyFault == null) {
            if (soundSavepoints == null) {
                soundSavepoints = new ArrayList<>(2);
            }
            soundSavepoints.add(savepoint);
        }
        return savepoint;
    }

    /**
     * The work rolled back to a savepoint of its own that was set while the transaction was sound, and the
     * server accepted it: the transaction survived the fault (PostgreSQL after a NOWAIT lock failure or a
     * deadlock inside the savepoint; MariaDB after a lock wait timeout). The unit may commit again. Where the
     * fault ended the whole transaction (an InnoDB deadlock) the savepoint is gone and the server refuses.
     */
    @Override
    public void aroundRollbackTo(ConnectionWrapper connection, Savepoint savepoint, SqlAction action)
            throws SQLException {
        if (deadlineNanos != 0) {
            shrinkToDeadline(); // a round trip like any statement
        }
        enterCall();
        try {
            action.run();
        } finally {
            exitCall();
        }
        if (rollbackOnlyFault != null && evictingFault == null && soundSavepoints != null
                && soundSavepoints.stream().anyMatch(s -> s == savepoint)) {
            forgiveRollbackOnly();
        }
    }

    @Override
    public void beforeBatchAdd(StatementWrapper<?> statement, String sql) throws SQLException {
        if (lent && sql != null) {
            refuseInsideUnit(sql);
        }
    }

    /** Refuses {@code unwrap} to the physical connection inside a unit; vendor interfaces are reachable. */
    @Override
    public void checkUnwrap(Class<?> iface) throws SQLException {
        if (lent && Connection.class.isAssignableFrom(iface)) {
            throw SqlExceptions.refusedInUnit(owner.name(), "unwrap to " + iface.getName(), "the driver's "
                    + "connection would escape it; vendor interfaces such as PGConnection can be unwrapped");
        }
    }

    /**
     * Inside a unit, a driver object that leads to the driver's connection ({@code PgConnection} behind
     * {@code PGConnection}, a driver statement's {@code getConnection()}) is handed out only as a view that
     * implements nothing but the vendor interface asked for; a class, or a {@code java.sql} interface, is refused.
     */
    @Override
    public <T> T checkUnwrapped(Class<T> iface, T found) throws SQLException {
        if (!lent || !(found instanceof Connection || found instanceof Statement || found instanceof java.sql.ResultSet
                || found instanceof java.sql.DatabaseMetaData)) {
            return found;
        }
        if (!iface.isInterface() || iface.getName().startsWith("java.sql.") || iface.getName().startsWith("javax.sql.")) {
            throw SqlExceptions.refusedInUnit(owner.name(), "unwrap to " + iface.getName(), "the driver's "
                    + "connection would escape it; unwrap to a vendor interface (such as PGConnection or PGStatement)");
        }
        Object target = found;
        Object view = java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "Bulwark view of " + target;
                        };
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return iface.cast(view);
    }

    /** The unit is done with the work: from now on close() really closes (or evicts). */
    void endLending() {
        lent = false;
    }

    /** Closes the wrapper, its statements and the physical connection (evicting it when condemned). */
    void release() {
        endLending();
        try {
            wrapper.close();
        } catch (SQLException | RuntimeException e) {
            // The unit's outcome is settled before release: a failing close (a pool's or driver's bug) must
            // not turn a committed unit into a failed one.
            LOG.debug("{}: closing a connection failed: {}", owner.name(), e.toString());
        } finally {
            unwatch(); // closed already (its wrapper's close is then a no-op)
        }
    }

    /** The session was made but is not handed out (its set-up failed): the watchdog forgets it. */
    void abandonUnlent() {
        unwatch();
    }

    @Override
    public String toString() {
        return "Session[" + owner.name() + (lent ? ", lent" : "") + (evictingFault != null ? ", condemned" : "") + "]";
    }
}
