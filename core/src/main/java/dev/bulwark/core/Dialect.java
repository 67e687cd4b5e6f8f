package dev.bulwark.core;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The database family whose SQLStates and vendor codes a classifier reads. Each dialect has its own
 * rule table (see {@code docs/faults.md}) and falls back to the SQL-standard {@link #GENERIC} rules.
 *
 * <p>Detect it from a JDBC URL ({@link #fromJdbcUrl}), from {@link DatabaseMetaData}
 * ({@link #fromMetaData}, {@link #fromProductName}), or let the classifier infer it per exception
 * from the exception's package ({@link #inferFrom}). Thread-safe (an enum).
 */
public enum Dialect {
    /** PostgreSQL and PostgreSQL-wire engines such as CockroachDB and YugabyteDB. */
    POSTGRESQL,
    /** MySQL and MariaDB. */
    MYSQL,
    /** SQLite through sqlite-jdbc: no SQLState, the result code as vendor code. */
    SQLITE,
    /** H2, mostly used in tests. */
    H2,
    /** Any other database: SQL-standard SQLState classes only. */
    GENERIC;

    /** Sub-protocols of wrapper drivers that put the real driver's URL after their own prefix. */
    private static final Set<String> WRAPPERS = Set.of(
            "bulwark", "p6spy", "log4jdbc", "otel", "aws-wrapper", "tc", "tracing", "datadog");

    /**
     * The dialect of a JDBC URL, looking through wrapper prefixes such as {@code jdbc:bulwark:} and
     * {@code jdbc:p6spy:}; {@link #GENERIC} for an unknown sub-protocol.
     *
     * @throws NullPointerException     if {@code jdbcUrl} is null
     * @throws IllegalArgumentException if it does not start with {@code jdbc:} (the URL itself is not
     *                                  repeated in the message, as it may hold credentials)
     */
    public static Dialect fromJdbcUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new IllegalArgumentException("jdbcUrl: not a JDBC URL (it must start with 'jdbc:')");
        }
        String rest = jdbcUrl.substring(5).toLowerCase(Locale.ROOT);
        while (true) {
            int colon = rest.indexOf(':');
            String subProtocol = colon < 0 ? rest : rest.substring(0, colon);
            if (colon >= 0 && WRAPPERS.contains(subProtocol)) {
                rest = rest.substring(colon + 1);
                continue;
            }
            return fromSubProtocol(subProtocol);
        }
    }

    /**
     * The dialect of a {@link DatabaseMetaData#getDatabaseProductName()} value; {@link #GENERIC} when
     * unknown.
     *
     * @throws NullPointerException if {@code productName} is null
     */
    public static Dialect fromProductName(String productName) {
        String name = Objects.requireNonNull(productName, "productName").toLowerCase(Locale.ROOT);
        if (name.contains("postgres") || name.contains("cockroach") || name.contains("yugabyte")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        return name.equals("h2") ? H2 : GENERIC;
    }

    /**
     * The dialect of a connected database, from its product name.
     *
     * @throws NullPointerException if {@code metaData} is null
     * @throws SQLException         if the driver cannot report the product name
     */
    public static Dialect fromMetaData(DatabaseMetaData metaData) throws SQLException {
        Objects.requireNonNull(metaData, "metaData");
        String name = metaData.getDatabaseProductName();
        return name == null ? GENERIC : fromProductName(name);
    }

    /**
     * The dialect of the driver that raised {@code failure}, from the package of its class or, for the
     * JDK's own {@link SQLException} subclasses that some drivers (MariaDB Connector/J 3) throw, from
     * the class that created it (its first stack frame); {@link #GENERIC} when neither tells.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    public static Dialect inferFrom(Throwable failure) {
        Dialect byClass = fromClassName(failure.getClass().getName());
        if (byClass != GENERIC || !failure.getClass().getName().startsWith("java.")) {
            return byClass;
        }
        StackTraceElement[] frames = failure.getStackTrace();
        return frames.length == 0 ? GENERIC : fromClassName(frames[0].getClassName());
    }

    private static Dialect fromClassName(String className) {
        if (className.startsWith("org.postgresql.") || className.startsWith("com.impossibl.postgres.")
                || className.startsWith("com.yugabyte.")) {
            return POSTGRESQL;
        }
        if (className.startsWith("org.mariadb.") || className.startsWith("com.mysql.")) {
            return MYSQL;
        }
        if (className.startsWith("org.sqlite.")) {
            return SQLITE;
        }
        return className.startsWith("org.h2.") ? H2 : GENERIC;
    }

    private static Dialect fromSubProtocol(String subProtocol) {
        return switch (subProtocol) {
            case "postgresql", "pgsql", "cockroachdb", "yugabytedb" -> POSTGRESQL;
            case "mysql", "mariadb" -> MYSQL;
            case "sqlite" -> SQLITE;
            case "h2" -> H2;
            default -> GENERIC;
        };
    }
}
