package dev.bulwark.jdbc.internal.resolve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes commit-ledger rows older than the retention, in small batches (each its own short
 * transaction, so expiry never holds many locks or a long snapshot), at most once per interval.
 *
 * <p>Meant to run off the hot path: the caller invokes {@link #expireIfDue} from a background task or
 * hands it to an executor after a commit; {@link #due} is a cheap check. The age is measured by the
 * database's clock against the rows' {@code created_at} (set by the database), except for databases
 * without a shipped migration, where the cutoff comes from {@code clock}. Thread-safe: concurrent
 * callers run at most one expiry per interval.
 */
public final class LedgerExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerExpiry.class);
    static final int BATCH = 500;
    /** Bounds one run; what is left waits for the next interval. */
    static final int MAX_BATCHES = 100;

    private final LedgerTable table;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();

    LedgerExpiry(LedgerTable table, Duration retention, Duration interval, Clock clock) {
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
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

    /** Deletes expired rows now, regardless of the interval; returns how many. */
    int expire(ConnectionSource source) throws SQLException {
        int total = 0;
        try (Connection c = source.open()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement delete = c.prepareStatement(table.expireBatchSql(BATCH))) {
                bindCutoff(delete);
                for (int batch = 0; batch < MAX_BATCHES; batch++) {
                    int deleted = delete.executeUpdate();
                    total += deleted;
                    if (deleted < BATCH) {
                        break;
                    }
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
        if (total > 0) {
            LOG.debug("commit ledger {}: expired {} rows older than {}", table.name(), total, retention);
        }
        return total;
    }

    private void bindCutoff(PreparedStatement delete) throws SQLException {
        switch (table.dialect()) {
            case POSTGRESQL, MARIADB, MYSQL -> delete.setLong(1, retention.toSeconds());
            case SQLITE -> delete.setString(1, Long.toString(retention.toSeconds()));
            case OTHER -> delete.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
        }
    }
}
