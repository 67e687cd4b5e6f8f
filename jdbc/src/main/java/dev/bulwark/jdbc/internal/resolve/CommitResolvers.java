package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.core.CommitResolution;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the {@link CommitResolver} for a data source from its settings and what the database allows:
 *
 * <pre>
 * AUTO           PostgreSQL 13+ whose user may call pg_control_system()  -> transaction id
 *                (plus a ledger marker when ledgerFallback is set and the ledger table is there)
 *                else the ledger table exists, or may be and could be created -> ledger
 *                else OFF, with a warning saying why
 * TRANSACTION_ID as AUTO's first line, or SQLException 0A000 saying what is missing
 * LEDGER         the ledger table, created if allowed, or SQLException 42P01 saying how to create it
 * OFF            never resolves
 * </pre>
 *
 * Thread-safe (stateless).
 */
public final class CommitResolvers {

    private static final Logger LOG = LoggerFactory.getLogger(CommitResolvers.class);

    private CommitResolvers() {
    }

    /**
     * Inspects the database once through {@code source} and returns the resolver to use.
     *
     * @throws SQLException if the database cannot be reached, or an explicitly chosen strategy is not
     *                      possible there (message names the strategy and what is missing)
     */
    public static CommitResolver select(ResolutionSettings settings, ConnectionSource source) throws SQLException {
        if (settings.mode() == CommitResolution.OFF) {
            return new OffResolver("configured OFF");
        }
        try (Connection c = source.open()) {
            Dialect dialect = Dialect.of(c);
            LedgerTable table = new LedgerTable(settings.ledgerTable(), dialect);
            String noXid = transactionIdUnavailable(c, dialect);
            return switch (settings.mode()) {
                case TRANSACTION_ID -> {
                    if (noXid != null) {
                        throw new SQLNonTransientException("commit resolution TRANSACTION_ID is not possible: "
                                + noXid, "0A000");
                    }
                    yield transactionId(c, table, settings);
                }
                case LEDGER -> {
                    String noLedger = ledgerUnavailable(c, table, settings);
                    if (noLedger != null) {
                        throw new SQLNonTransientException("commit resolution LEDGER is not possible: " + noLedger,
                                "42P01");
                    }
                    yield new LedgerResolver(table, settings.maxPause());
                }
                case AUTO -> auto(c, table, settings, noXid);
                case OFF -> throw new AssertionError("handled above");
            };
        }
    }

    /** The expiry for a resolver that writes ledger rows; empty for one that does not. */
    public static Optional<LedgerExpiry> expiry(CommitResolver resolver, ResolutionSettings settings, Clock clock) {
        Optional<LedgerTable> table = Optional.empty();
        if (resolver instanceof LedgerResolver ledger) {
            table = Optional.of(ledger.table());
        } else if (resolver instanceof TransactionIdResolver xid) {
            table = xid.ledgerTable();
        }
        return table.map(t -> new LedgerExpiry(t, settings.retention(), settings.expiryInterval(), clock));
    }

    private static CommitResolver auto(Connection c, LedgerTable table, ResolutionSettings settings, String noXid)
            throws SQLException {
        if (noXid == null) {
            return transactionId(c, table, settings);
        }
        String noLedger = ledgerUnavailable(c, table, settings);
        if (noLedger == null) {
            return new LedgerResolver(table, settings.maxPause());
        }
        // The data source says so (a WARN, its start-up INFO line and health()), naming itself.
        return new OffResolver("transaction id: " + noXid + "; ledger: " + noLedger);
    }

    private static CommitResolver transactionId(Connection c, LedgerTable table, ResolutionSettings settings)
            throws SQLException {
        Optional<LedgerResolver> fallback = Optional.empty();
        if (settings.ledgerFallback()) {
            String noLedger = ledgerUnavailable(c, table, settings);
            if (noLedger != null) {
                throw new SQLNonTransientException("commit resolution ledger fallback is not possible: " + noLedger,
                        "42P01");
            }
            fallback = Optional.of(new LedgerResolver(table, settings.maxPause()));
        }
        return new TransactionIdResolver(fallback, settings.maxPause());
    }

    /** Why the transaction-id strategy cannot work here, or null if it can. */
    static String transactionIdUnavailable(Connection c, Dialect dialect) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return "the database is not PostgreSQL";
        }
        if (c.getMetaData().getDatabaseMajorVersion() < 13) {
            return "PostgreSQL 13 or later is needed for pg_current_xact_id() and pg_xact_status()";
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT has_function_privilege('pg_control_system()', 'EXECUTE'),"
                        + " has_function_privilege('pg_xact_status(xid8)', 'EXECUTE'),"
                        + " has_function_privilege('pg_walfile_name(pg_lsn)', 'EXECUTE')")) {
            rs.next();
            if (!rs.getBoolean(1) || !rs.getBoolean(2) || !rs.getBoolean(3)) {
                return "the database user may not execute pg_control_system(), pg_xact_status() or"
                        + " pg_walfile_name() (GRANT EXECUTE on them, or use the ledger)";
            }
        }
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        return null;
    }

    /**
     * Why the ledger cannot work here, or null if it can (creating the table when allowed).
     *
     * @throws SQLException (never an {@link SQLNonTransientException}) when the check or the creation failed for a
     *                      reason that says nothing about the configuration: the connection went away, a lock or
     *                      timeout, a read-only server during a failover, or another instance creating the same
     *                      table at the same moment (PostgreSQL's {@code CREATE TABLE IF NOT EXISTS} then fails
     *                      with 23505 in its catalog). The caller inspects again on a later acquisition.
     */
    private static String ledgerUnavailable(Connection c, LedgerTable table, ResolutionSettings settings)
            throws SQLException {
        try {
            if (table.exists(c)) {
                return null;
            }
            if (!settings.createLedger()) {
                return "table " + table.name() + " does not exist (apply the migration in META-INF/bulwark/migrations/"
                        + table.dialect().migrationFolder() + ", or allow Bulwark to create it)";
            }
            table.bootstrap(c);
            LOG.info("created commit ledger table {}", table.name());
            return null;
        } catch (IllegalStateException e) {
            return "table " + table.name() + " does not exist and could not be created (" + e.getMessage() + ")";
        } catch (SQLException e) {
            if (createdMeanwhile(c, table, e)) {
                return null;
            }
            if (transientFailure(e)) {
                throw new SQLException("the commit ledger " + table.name() + " could not be checked or created now: "
                        + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
            }
            return "table " + table.name() + " does not exist and could not be created (" + e.getMessage() + ")";
        }
    }

    /** Whether another session created the table while we tried to (checked on the same connection). */
    private static boolean createdMeanwhile(Connection c, LedgerTable table, SQLException failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return table.exists(c);
        } catch (SQLException again) {
            failure.addSuppressed(again);
            return false;
        }
    }

    /** A failure that says nothing about whether the ledger can work: by type, or by SQLState class. */
    private static boolean transientFailure(SQLException e) {
        if (e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null || state.length() < 2) {
            return false;
        }
        return switch (state.substring(0, 2)) {
            // connection, integrity (a concurrent CREATE), read-only (a standby during failover), rollback,
            // resources, object in use / lock, operator intervention, system error, MariaDB's generic HY000
            case "08", "23", "25", "40", "53", "55", "57", "58", "HY" -> true;
            default -> false;
        };
    }
}
