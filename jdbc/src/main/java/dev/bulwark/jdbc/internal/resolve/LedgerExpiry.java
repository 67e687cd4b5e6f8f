package dev.bulwark.jdbc.internal.resolve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes commit-ledger rows older than the retention, in small batches (each its own short
 * transaction, so expiry never holds many locks or a long snapshot), at most once per interval.
 *
 * <p>Runs off the hot path: the data source calls {@link #expireInBackground} when a unit is about to write
 * its marker (a clock read and a comparison when not due), and the run goes to this expiry's own
 * background thread (at most one, alive only while a run lasts). {@link #expireIfDue} runs it on the
 * caller's thread instead. The age is measured by the
 * database's clock against the rows' {@code created_at} (set by the database), except for databases
 * without a shipped migration, where the cutoff comes from {@code clock}. Thread-safe: concurrent
 * callers run at most one expiry per interval.
 */
public final class LedgerExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerExpiry.class);
    static final int BATCH = 500;
    /** Bounds one run; what is left waits for the next interval. */
    static final int MAX_BATCHES = 100;
    /** One short DELETE; a batch that takes longer is stopped by the server and retried next interval. */
    private static final int BATCH_TIMEOUT_SECONDS = 10;

    private final LedgerTable table;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();
    /** At most one thread, only while a run lasts; a run asked for while one is going is refused. */
    private final ThreadPoolExecutor background;

    LedgerExpiry(LedgerTable table, Duration retention, Duration interval, Clock clock) {
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.background = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread t = new Thread(runnable, "bulwark-ledger-expiry-" + table.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether an expiry run is due now. */
    public boolean due() {
        Instant last = lastRun.get();
        return last == null || !clock.instant().isBefore(last.plus(interval));
    }

    /**
     * Runs one expiry if it is due and no other thread has claimed this interval.
     *
     * @return the number of rows deleted; 0 when not due
     * @throws SQLException if a delete fails; the interval stays claimed, so a failing database is not
     *                      hammered by expiry
     */
    public int expireIfDue(ConnectionSource source) throws SQLException {
        Instant last = lastRun.get();
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.plus(interval))) {
            return 0;
        }
        if (!lastRun.compareAndSet(last, now)) {
            return 0;
        }
        return expire(source);
    }

    /**
     * Starts one expiry run on this expiry's background thread if one is due and no run is under way, and
     * returns at once: the caller (a unit about to write its marker) never waits for it and never sees its
     * failures. One daemon thread at most, per data source, and only while a run lasts (it ends when idle).
     * A run that found more expired rows than it may delete makes the next one due at once.
     */
    public void expireInBackground(ConnectionSource source) {
        Instant last = lastRun.get();
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.plus(interval))) {
            return;
        }
        if (!lastRun.compareAndSet(last, now)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    if (expire(source) >= BATCH * MAX_BATCHES) {
                        lastRun.compareAndSet(now, null); // a backlog: the next unit starts another bounded run
                    }
                } catch (SQLException | RuntimeException e) {
                    // The interval stays claimed: a failing or busy database is not hammered by expiry.
                    LOG.warn("commit ledger {}: expiry failed ({}); next attempt in {}", table.name(), e.toString(),
                            interval);
                }
            });
        } catch (RejectedExecutionException busy) {
            lastRun.compareAndSet(now, last); // a run is still going: this one is not due yet after all
        }
    }

    /**
     * Deletes expired rows now, regardless of the interval, in batches of {@link #BATCH}, at most
     * {@link #MAX_BATCHES}; returns how many. Each batch borrows its own connection and returns it at once, so
     * a run never holds a pool slot for longer than one short DELETE.
     */
    int expire(ConnectionSource source) throws SQLException {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int deleted = expireBatch(source);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.debug("commit ledger {}: expired {} rows older than {}", table.name(), total, retention);
        }
        return total;
    }

    private int expireBatch(ConnectionSource source) throws SQLException {
        try (Connection c = source.open()) {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                c.rollback();
                c.setAutoCommit(true);
            }
            try (PreparedStatement delete = c.prepareStatement(table.expireBatchSql(BATCH))) {
                delete.setQueryTimeout(BATCH_TIMEOUT_SECONDS);
                bindCutoff(delete);
                return delete.executeUpdate();
            } finally {
                if (!autoCommit) {
                    c.setAutoCommit(false);
                }
            }
        }
    }

    private void bindCutoff(PreparedStatement delete) throws SQLException {
        switch (table.dialect()) {
            case POSTGRESQL, MARIADB, MYSQL -> delete.setLong(1, retention.toSeconds());
            case SQLITE -> delete.setString(1, Long.toString(retention.toSeconds()));
            case OTHER -> delete.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
        }
    }
}
