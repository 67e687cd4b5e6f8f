package dev.bulwark.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

/**
 * Every Bulwark configuration property, each declared exactly once. {@code docs/configuration.md} is
 * generated from this list.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class BulwarkProperties {

    private static final List<BulwarkProperty<?>> DECLARED = new ArrayList<>();

    /** Names the data source in logs, events and exceptions. */
    public static final BulwarkProperty<String> NAME = add(BulwarkProperty.text("bulwark.name", "bulwark",
            "[A-Za-z0-9._-]{1,64}", "Name of the data source in logs, events and exception messages."));

    /** The {@code bulwark.retry.maxAttempts} property. */
    public static final BulwarkProperty<Integer> RETRY_MAX_ATTEMPTS = add(BulwarkProperty.integer(
            "bulwark.retry.maxAttempts", 3, 1, 100, "Attempts per call, the first included; 1 disables retry."));

    /** The {@code bulwark.retry.initialBackoff} property. */
    public static final BulwarkProperty<Duration> RETRY_INITIAL_BACKOFF = add(BulwarkProperty.duration(
            "bulwark.retry.initialBackoff", ofMillis(50), ofMillis(1), ofHours(1),
            "Upper bound of the first backoff; each delay is drawn uniformly from zero to its bound (full jitter)."));

    /** The {@code bulwark.retry.maxBackoff} property. */
    public static final BulwarkProperty<Duration> RETRY_MAX_BACKOFF = add(BulwarkProperty.duration(
            "bulwark.retry.maxBackoff", ofSeconds(2), ofMillis(1), ofHours(1),
            "Cap of every backoff bound; no delay is longer."));

    /** The {@code bulwark.retry.backoffMultiplier} property. */
    public static final BulwarkProperty<Double> RETRY_BACKOFF_MULTIPLIER = add(BulwarkProperty.decimal(
            "bulwark.retry.backoffMultiplier", 2.0, 1.0, true, 10.0,
            "Factor by which the backoff bound grows after each failed attempt."));

    /** The {@code bulwark.retry.resourceBackoffMultiplier} property. */
    public static final BulwarkProperty<Double> RETRY_RESOURCE_BACKOFF_MULTIPLIER = add(BulwarkProperty.decimal(
            "bulwark.retry.resourceBackoffMultiplier", 4.0, 1.0, true, 100.0,
            "Extra factor on the backoff bound after a RESOURCE fault (server out of connections or memory)."));

    /** The {@code bulwark.retry.budgetRatio} property. */
    public static final BulwarkProperty<Double> RETRY_BUDGET_RATIO = add(BulwarkProperty.decimal(
            "bulwark.retry.budgetRatio", 0.2, 0.0, true, 1.0,
            "Retries after faults the breaker counts (the database is unwell) may add at most this fraction of "
                    + "the calls made in the budget window; transient conflicts are bounded by attempts only."));

    /** The {@code bulwark.retry.budgetWindow} property. */
    public static final BulwarkProperty<Duration> RETRY_BUDGET_WINDOW = add(BulwarkProperty.duration(
            "bulwark.retry.budgetWindow", ofSeconds(10), ofSeconds(1), ofHours(1),
            "Sliding window over which calls and retries are counted for the retry budget."));

    /** The {@code bulwark.retry.budgetMinRetries} property. */
    public static final BulwarkProperty<Integer> RETRY_BUDGET_MIN_RETRIES = add(BulwarkProperty.integer(
            "bulwark.retry.budgetMinRetries", 10, 0, 1_000_000,
            "Retries always allowed per budget window, whatever the ratio, so that rare calls can still retry."));

    /** The {@code bulwark.breaker.enabled} property. */
    public static final BulwarkProperty<Boolean> BREAKER_ENABLED = add(BulwarkProperty.bool(
            "bulwark.breaker.enabled", true, "Whether the circuit breaker guards calls."));

    /** The {@code bulwark.breaker.failureRateThreshold} property. */
    public static final BulwarkProperty<Double> BREAKER_FAILURE_RATE_THRESHOLD = add(BulwarkProperty.decimal(
            "bulwark.breaker.failureRateThreshold", 50.0, 0.0, false, 100.0,
            "Percentage of counted faults in the sliding window at or above which the breaker opens."));

    /** The {@code bulwark.breaker.minimumCalls} property. */
    public static final BulwarkProperty<Integer> BREAKER_MINIMUM_CALLS = add(BulwarkProperty.integer(
            "bulwark.breaker.minimumCalls", 10, 1, 10_000,
            "Calls the window must hold before the failure rate is judged; at most the sliding window size."));

    /** The {@code bulwark.breaker.slidingWindowSize} property. */
    public static final BulwarkProperty<Integer> BREAKER_SLIDING_WINDOW_SIZE = add(BulwarkProperty.integer(
            "bulwark.breaker.slidingWindowSize", 20, 1, 10_000,
            "Number of most recent calls (count-based window) from which the failure rate is computed."));

    /** The {@code bulwark.breaker.waitInOpenState} property. */
    public static final BulwarkProperty<Duration> BREAKER_WAIT_IN_OPEN_STATE = add(BulwarkProperty.duration(
            "bulwark.breaker.waitInOpenState", ofMillis(100), ofMillis(1), ofHours(1),
            "How long an open breaker refuses calls before letting a probe through (half-open); short, so the"
                    + " first success comes soon after the database returns."));

    /** The {@code bulwark.breaker.permittedCallsInHalfOpen} property. */
    public static final BulwarkProperty<Integer> BREAKER_PERMITTED_CALLS_IN_HALF_OPEN = add(BulwarkProperty.integer(
            "bulwark.breaker.permittedCallsInHalfOpen", 1, 1, 1000,
            "Probe calls let through at once while half-open; the failure rate of the first"
                    + " min(minimumCalls, permittedCallsInHalfOpen) probes closes or re-opens the breaker."));

    /** The {@code bulwark.timeout.acquire} property. */
    public static final BulwarkProperty<Duration> TIMEOUT_ACQUIRE = add(BulwarkProperty.duration(
            "bulwark.timeout.acquire", ofSeconds(10), ofMillis(1), ofHours(1),
            "Deadline for obtaining a connection: bounds getConnection() (retries included) and each attempt's"
                    + " wait for a connection in a unit (with what is left of the unit's deadline). A pool that"
                    + " stays full throughout fails with SQLState 53400 (pool exhausted), never retried nor counted"
                    + " by the circuit breaker."));

    /** The {@code bulwark.timeout.statement} property. */
    public static final BulwarkProperty<Duration> TIMEOUT_STATEMENT = add(BulwarkProperty.duration(
            "bulwark.timeout.statement", ofSeconds(30), ZERO, ofHours(24),
            "Default statement timeout, lowered to the remaining deadline; 0 = off. Statement.setQueryTimeout on"
                    + " each execute; on PostgreSQL the session's statement_timeout instead where"
                    + " statementOnServer allows, setQueryTimeout then only for a shorter deadline."));

    /** The {@code bulwark.timeout.statementOnServer} property. */
    public static final BulwarkProperty<Boolean> TIMEOUT_STATEMENT_ON_SERVER = add(BulwarkProperty.bool(
            "bulwark.timeout.statementOnServer", true,
            "PostgreSQL: let the session's statement_timeout enforce the default statement timeout instead of"
                    + " a pgjdbc timer task per statement. On the jdbc:bulwark: driver's own connections Bulwark sets"
                    + " it, once per connection (a lower one is kept); on a wrapped pool's connections it never sets"
                    + " it (it would stay with the connection for every other borrower) but reads it once per"
                    + " connection and relies on it where the role, database or URL options set the default or"
                    + " less. Turn off behind a transaction-pooling proxy (PgBouncer in transaction mode), where"
                    + " session settings do not stay with the connection."));

    /** The {@code bulwark.timeout.commit} property. */
    public static final BulwarkProperty<Duration> TIMEOUT_COMMIT = add(BulwarkProperty.duration(
            "bulwark.timeout.commit", ofSeconds(10), ofMillis(1), ofHours(1),
            "Network timeout of a unit's COMMIT (and of its rollback), separate from statements: this, or what is"
                    + " left of the unit's deadline but at least 1 s, whichever is shorter; a COMMIT or rollback"
                    + " still in flight 0.2 s past it has its connection aborted (a lost COMMIT is then resolved)."));

    /** The {@code bulwark.timeout.network} property. */
    public static final BulwarkProperty<Duration> TIMEOUT_NETWORK = add(BulwarkProperty.duration(
            "bulwark.timeout.network", ofSeconds(60), ZERO, ofHours(24),
            "Connection.setNetworkTimeout on every connection lent, so a dead socket cannot hang a call (in a"
                    + " unit: what is left of its deadline, if shorter); never loosens a shorter timeout the"
                    + " connection already has (the driver's socketTimeout); keep it above the statement timeout;"
                    + " 0 = off."));

    /** The {@code bulwark.timeout.total} property. */
    public static final BulwarkProperty<Duration> TIMEOUT_TOTAL = add(BulwarkProperty.duration(
            "bulwark.timeout.total", ofSeconds(60), ofMillis(1), ofHours(24),
            "Total deadline of one call or unit of work, all attempts and backoffs included. A call still"
                    + " waiting for the database past its bound (in a unit: the unit's deadline; on a connection"
                    + " outside a unit: this, or bulwark.timeout.network if shorter, from the call's start) has its"
                    + " connection aborted by the watchdog at most 0.2 s past the bound, whatever the driver's and"
                    + " pool's own timeouts."));

    /** The {@code bulwark.bulkhead.maxConcurrent} property. */
    public static final BulwarkProperty<Integer> BULKHEAD_MAX_CONCURRENT = add(BulwarkProperty.integer(
            "bulwark.bulkhead.maxConcurrent", 0, 0, 1_000_000,
            "Calls allowed at once; one more is refused at once (no waiting); 0 = off."));

    /** The {@code bulwark.rateLimit.perSecond} property. */
    public static final BulwarkProperty<Integer> RATE_LIMIT_PER_SECOND = add(BulwarkProperty.integer(
            "bulwark.rateLimit.perSecond", 0, 0, 1_000_000,
            "Attempts allowed per second; one more is refused at once (no waiting); 0 = off."));

    /** The {@code bulwark.jdbc.maxRows} property. */
    public static final BulwarkProperty<Integer> JDBC_MAX_ROWS = add(BulwarkProperty.integer(
            "bulwark.jdbc.maxRows", 0, 0, Integer.MAX_VALUE,
            "Result-size guard: at most this many rows per query (Statement.setMaxRows; the driver drops the rest); 0 = off."));

    /** The {@code bulwark.jdbc.fetchSize} property. */
    public static final BulwarkProperty<Integer> JDBC_FETCH_SIZE = add(BulwarkProperty.integer(
            "bulwark.jdbc.fetchSize", 0, 0, 1_000_000, "Default fetch size for streaming results; 0 = driver default."));

    /** The {@code bulwark.jdbc.slowStatementThreshold} property. */
    public static final BulwarkProperty<Duration> JDBC_SLOW_STATEMENT_THRESHOLD = add(BulwarkProperty.duration(
            "bulwark.jdbc.slowStatementThreshold", ofSeconds(1), ZERO, ofHours(1),
            "Statements slower than this are logged at WARN and reported as events; 0 = off."));

    /** The {@code bulwark.jdbc.commitResolution} property. */
    public static final BulwarkProperty<CommitResolution> JDBC_COMMIT_RESOLUTION = add(
            BulwarkProperty.commitResolution("bulwark.jdbc.commitResolution", CommitResolution.AUTO,
                    "How the outcome of a commit whose acknowledgement was lost is resolved."));

    /** The {@code bulwark.jdbc.commitLedger.create} property. */
    public static final BulwarkProperty<Boolean> JDBC_COMMIT_LEDGER_CREATE = add(BulwarkProperty.bool(
            "bulwark.jdbc.commitLedger.create", false, "Whether Bulwark may create its commit-ledger table "
                    + "(bulwark_commit_ledger) where commit resolution needs it (MariaDB, MySQL, SQLite)."));

    /** The {@code bulwark.sqlite.busyTimeout} property. */
    public static final BulwarkProperty<Duration> SQLITE_BUSY_TIMEOUT = add(BulwarkProperty.duration(
            "bulwark.sqlite.busyTimeout", ofSeconds(5), ZERO, ofHours(1),
            "PRAGMA busy_timeout set on every SQLite connection."));

    /** The {@code bulwark.sqlite.wal} property. */
    public static final BulwarkProperty<Boolean> SQLITE_WAL = add(BulwarkProperty.bool(
            "bulwark.sqlite.wal", true, "Whether SQLite connections use PRAGMA journal_mode=WAL."));

    /** The {@code bulwark.replica.maxLag} property. */
    public static final BulwarkProperty<Duration> REPLICA_MAX_LAG = add(BulwarkProperty.duration(
            "bulwark.replica.maxLag", ofSeconds(5), ofMillis(1), ofHours(1),
            "Staleness bound of a replica read: a read-only unit runs on a replica only while everything the"
                    + " primary had committed this long ago is known, from the lag monitor's samples, to be replayed"
                    + " there (the samples' own age counts against the bound); else on the primary."));

    /** The {@code bulwark.replica.sampleInterval} property. */
    public static final BulwarkProperty<Duration> REPLICA_SAMPLE_INTERVAL = add(BulwarkProperty.duration(
            "bulwark.replica.sampleInterval", ofMillis(250), ofMillis(10), ofMinutes(1),
            "How often the lag monitor samples each host of a cluster (role, WAL position or GTID, reachability):"
                    + " one query per host per interval, on one shared scheduler."));

    /** The {@code bulwark.replica.readYourWritesWait} property. */
    public static final BulwarkProperty<Duration> REPLICA_READ_YOUR_WRITES_WAIT = add(BulwarkProperty.duration(
            "bulwark.replica.readYourWritesWait", ofMillis(200), ZERO, ofMinutes(1),
            "How long a read-only unit may wait for a replica to replay the caller's last commit (never more than"
                    + " a quarter of the unit's deadline) before it runs on the primary instead; 0 = never wait."));

    private static final List<BulwarkProperty<?>> ALL = Collections.unmodifiableList(new ArrayList<>(DECLARED));

    private BulwarkProperties() {
    }

    private static <T> BulwarkProperty<T> add(BulwarkProperty<T> property) {
        for (BulwarkProperty<?> declared : DECLARED) {
            if (declared.key().equals(property.key())) {
                throw new IllegalStateException("property declared twice: " + property.key());
            }
        }
        DECLARED.add(property);
        return property;
    }

    /** All properties, in declaration order. */
    public static List<BulwarkProperty<?>> all() {
        return ALL;
    }
}
