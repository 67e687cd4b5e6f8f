package dev.bulwark.recovery;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.internal.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Asks a database to check its own storage: SQLite {@code PRAGMA quick_check} or
 * {@code integrity_check} (plus {@code foreign_key_check}); PostgreSQL's {@code amcheck} extension on
 * every B-tree index of the current schema ({@code bt_index_check}) and, when thorough, every table's
 * heap ({@code verify_heapam}). Errors raised by a check (corruption is often reported that way) are
 * recorded as problems, not thrown.
 *
 * <pre>{@code
 * IntegrityReport report = IntegrityCheck.run(dataSource, IntegrityCheck.Depth.THOROUGH);
 * if (!report.isHealthy()) { report.problems().forEach(p -> log.error("{}: {}", p.object(), p.detail())); }
 * }</pre>
 *
 * <p>Thread-safe (stateless). Checks read every page they cover: run them off-peak on large databases.
 */
public final class IntegrityCheck {

    /** How much to read. */
    public enum Depth {
        /** SQLite {@code quick_check}; PostgreSQL {@code bt_index_check} of each index. */
        QUICK,
        /** SQLite {@code integrity_check} and {@code foreign_key_check}; PostgreSQL also checks that every heap tuple is indexed and verifies each table's heap. */
        THOROUGH
    }

    private IntegrityCheck() {
    }

    /**
     * Checks the database behind {@code dataSource}.
     *
     * @throws RecoveryException (0A000) for a database other than SQLite and PostgreSQL
     * @throws SQLException      if the database cannot be reached or its catalog not read
     */
    public static IntegrityReport run(DataSource dataSource, Depth depth) throws SQLException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(depth, "depth");
        try (Connection connection = dataSource.getConnection()) {
            Dialect dialect = Dialect.fromMetaData(connection.getMetaData());
            return switch (dialect) {
                case SQLITE -> sqlite(connection, depth);
                case POSTGRESQL -> postgres(connection, depth);
                default -> throw new RecoveryException("integrity checks of " + dialect + " databases are not supported"
                        + " (SQLite and PostgreSQL are; on MariaDB run CHECK TABLE)", RecoveryException.NOT_SUPPORTED);
            };
        }
    }

    private static IntegrityReport sqlite(Connection connection, Depth depth) {
        List<String> checked = new ArrayList<>();
        List<IntegrityReport.Problem> problems = new ArrayList<>();
        String pragma = depth == Depth.QUICK ? "quick_check" : "integrity_check";
        checked.add(pragma);
        rows(connection, "PRAGMA " + pragma, "database", problems, rs -> {
            String line = rs.getString(1);
            return "ok".equals(line) ? null : line;
        });
        if (depth == Depth.THOROUGH) {
            checked.add("foreign_key_check");
            rows(connection, "PRAGMA foreign_key_check", "database", problems, rs -> "row " + rs.getLong(2)
                    + " of " + SqlDialect.printable(rs.getString(1)) + " references a missing row of "
                    + SqlDialect.printable(rs.getString(3)));
        }
        return new IntegrityReport(Dialect.SQLITE.name(), checked, List.of(), problems);
    }

    private static IntegrityReport postgres(Connection connection, Depth depth) throws SQLException {
        List<String> checked = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<IntegrityReport.Problem> problems = new ArrayList<>();
        String schema = extensionSchema(connection);
        if (schema == null) {
            boolean available = exists(connection, "SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'amcheck'");
            skipped.add("amcheck is not installed in this database" + (available
                    ? "; CREATE EXTENSION amcheck (as a superuser) enables index and heap checks"
                    : " and not available on this server (it ships with PostgreSQL's contrib package)"));
            return new IntegrityReport(Dialect.POSTGRESQL.name(), checked, skipped, problems);
        }
        for (Object[] index : relations(connection, "SELECT c.oid, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_am am ON am.oid = c.relam"
                + " WHERE c.relkind = 'i' AND am.amname = 'btree' AND n.nspname = current_schema() ORDER BY c.relname")) {
            String name = "index " + SqlDialect.printable((String) index[1]);
            checked.add(name);
            // bt_index_check returns void and raises an error for each problem it finds.
            rows(connection, "SELECT " + schema + ".bt_index_check(" + index[0] + "::oid::regclass, "
                    + (depth == Depth.THOROUGH) + ")", name, problems, rs -> null);
        }
        if (depth == Depth.THOROUGH) {
            for (Object[] table : relations(connection, "SELECT c.oid, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm', 't') AND n.nspname = current_schema() ORDER BY c.relname")) {
                String name = "table " + SqlDialect.printable((String) table[1]);
                checked.add(name);
                rows(connection, "SELECT blkno, offnum, msg FROM " + schema + ".verify_heapam(" + table[0] + "::oid::regclass)", name,
                        problems, rs -> "block " + rs.getLong(1) + " offset " + rs.getInt(2) + ": " + rs.getString(3));
            }
        }
        return new IntegrityReport(Dialect.POSTGRESQL.name(), checked, skipped, problems);
    }

    private interface RowProblem {
        /** The problem a result row describes, or null when the row says all is well. */
        String describe(ResultSet rs) throws SQLException;
    }

    /** Runs a check; each row it returns may be a problem, and an error it raises is one. */
    private static void rows(Connection connection, String sql, String object, List<IntegrityReport.Problem> problems,
                             RowProblem problem) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String detail = problem.describe(rs);
                if (detail != null) {
                    problems.add(new IntegrityReport.Problem(object, null, detail));
                }
            }
        } catch (SQLException e) {
            problems.add(new IntegrityReport.Problem(object, e.getSQLState(), e.getMessage()));
        }
    }

    /** The quoted schema amcheck is installed in (its functions are called qualified), or null. */
    private static String extensionSchema(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname FROM pg_catalog.pg_extension e"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new SqlDialect(Dialect.POSTGRESQL).quote(rs.getString(1)) : null;
        }
    }

    private static boolean exists(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** (oid as Long, name) pairs; oids are numbers from the catalog, safe to put into the checks' text. */
    private static List<Object[]> relations(Connection connection, String sql) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getLong(1), rs.getString(2)});
            }
        }
        return out;
    }
}
