package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial review of the unit-of-work boundaries (issue 12 items 3-5): ways out of a unit's transaction that
 * the refusals in {@code Session}/{@code TransactionControl} do not see. Each test fails with "2 rows from one
 * unit" or "a failed unit's row is present" while the hole is open. The tables have no key.
 */
class UnitEscapeIT {

    private static void killSession(TestDatabase db, Connection victim) throws Exception {
        boolean pg = db.engine() == TestDatabase.Engine.POSTGRESQL;
        long id;
        try (Statement s = victim.createStatement();
             ResultSet rs = s.executeQuery(pg ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute(pg ? "SELECT pg_terminate_backend(" + id + ")" : "KILL " + id);
        }
        Thread.sleep(200);
    }

    /**
     * Runs a unit that writes its row, then {@code escape}s, and on its first attempt loses its session
     * (a retryable fault). The unit either is refused (no row) or commits its row exactly once.
     */
    private static void assertNoEscape(TestDatabase db, HikariDataSource pool, Escape escape) throws Exception {
        BulwarkDataSource ds = Bulwark.wrap(pool);
        AtomicInteger attempts = new AtomicInteger();
        Throwable failure = catchThrowable(() -> ds.inTransaction(c -> {
            int attempt = attempts.incrementAndGet();
            UnitBoundariesIT.insert(c, attempt);
            escape.run(c, attempt);
            if (attempt == 1) {
                try {
                    killSession(db, c);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                c.createStatement().executeQuery("SELECT 1").close();
            }
            return null;
        }));
        if (failure != null) {
            assertThat(UnitBoundariesIT.units(db)).as("rows of a unit reported failed (%s)", failure).isEmpty();
        } else {
            assertThat(UnitBoundariesIT.units(db)).as("rows of one unit reported committed after %s attempts",
                    attempts.get()).hasSize(1);
        }
    }

    interface Escape {
        void run(Connection c, int attempt) throws SQLException;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    // ---- SQL the scanner misses (MariaDB commits on it) ----

    @ParameterizedTest
    @ValueSource(strings = {"/*!COMMIT*/", "/*M!100000 COMMIT */", "SET STATEMENT max_statement_time=100 FOR "
            + "CREATE TABLE side_%d (a INT)", "CHECK TABLE applied", "RESET QUERY CACHE", "EXECUTE IMMEDIATE 'COMMIT'",
            "EXECUTE IMMEDIATE 'CREATE TABLE side_%d (a INT)'"})
    void mariadbImplicitOrHiddenCommitsAreRefused(String sql) throws Exception {
        try (TestDatabase db = TestDatabases.mariadb();
             HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            assertNoEscape(db, pool, (c, attempt) -> exec(c, sql.formatted(attempt)));
        }
    }

    // ---- the driver's connection reached past the refusals ----

    static java.util.stream.Stream<UnitBoundariesIT.DbFactory> servers() {
        return java.util.stream.Stream.of(TestDatabases::postgres, TestDatabases::mariadb);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void theDriversConnectionBehindAStatementCannotCommit(UnitBoundariesIT.DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            Class<?> driverStatement = db.engine() == TestDatabase.Engine.POSTGRESQL
                    ? org.postgresql.PGStatement.class : org.mariadb.jdbc.Statement.class;
            assertNoEscape(db, pool, (c, attempt) -> {
                try (Statement s = c.createStatement()) {
                    ((Statement) s.unwrap(driverStatement)).getConnection().commit();
                }
            });
        }
    }

    @Test
    void pgConnectionUnwrappedAndCastCannotCommit() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            assertNoEscape(db, pool, (c, attempt) -> ((Connection) c.unwrap(org.postgresql.PGConnection.class))
                    .commit());
        }
    }

    // ---- read-only ----

    /** RESET is not a SET: it makes PostgreSQL's transaction read-write again, and the lost commit is rerun blindly. */
    @Test
    void aPostgresReadOnlyUnitCannotBeResetToReadWrite() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrlVia(proxy.host(), proxy.port()))) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            proxy.cutOnCommit(1);
            AtomicInteger attempts = new AtomicInteger();
            Throwable failure = catchThrowable(() -> ds.inTransaction(
                    TransactionOptions.builder().withReadOnly(true).build(), c -> {
                        attempts.incrementAndGet();
                        exec(c, "RESET transaction_read_only");
                        UnitBoundariesIT.insert(c, attempts.get());
                        return null;
                    }));
            assertThat(UnitBoundariesIT.units(db)).as("after %s attempts, failure %s", attempts.get(), failure)
                    .hasSizeLessThanOrEqualTo(failure == null ? 1 : 0);
        }
    }

    // ---- a swallowed error ----

    /**
     * PostgreSQL aborts the transaction on any error; the work catches a duplicate key and returns. pgjdbc's
     * commit() of an aborted transaction returns normally (the server answered ROLLBACK; pgjdbc raises only with
     * raiseExceptionOnSilentRollback), so the unit is reported committed with none of its rows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "OFF"})
    void aUnitWhoseTransactionThePostgresServerAbortedIsNotReportedCommitted(String resolution) throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)", "CREATE TABLE once (id INT PRIMARY KEY)",
                    "INSERT INTO once VALUES (1)");
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(dev.bulwark.core.BulwarkConfig.builder()
                    .withJdbc(dev.bulwark.core.JdbcConfig.builder().withCommitResolution(
                            dev.bulwark.core.CommitResolution.valueOf(resolution)).build()).build()).build();
            Throwable failure = catchThrowable(() -> ds.inTransaction(c -> {
                UnitBoundariesIT.insert(c, 1);
                SQLException duplicate = catchThrowableOfType(SQLException.class,
                        () -> exec(c, "INSERT INTO once VALUES (1)"));
                assertThat(duplicate.getSQLState()).isEqualTo("23505"); // "already there": the work goes on
                return null;
            }));
            assertThat(UnitBoundariesIT.units(db)).as("reported %s", failure == null ? "committed" : failure)
                    .hasSize(failure == null ? 1 : 0);
        }
    }

    // ---- nesting ----

    /** The work's own savepoint with the nested unit's name: Bulwark's ROLLBACK TO reaches the work's instead. */
    @ParameterizedTest
    @MethodSource("dev.bulwark.jdbc.UnitBoundariesIT#databases")
    void aFailedNestedUnitIsRolledBackWhateverSavepointNamesTheWorkUses(UnitBoundariesIT.DbFactory factory)
            throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            Throwable outer = catchThrowable(() -> ds.inTransaction(c -> {
                UnitBoundariesIT.insert(c, 1);
                IllegalStateException inner = catchThrowableOfType(IllegalStateException.class,
                        () -> ds.inTransaction(nested -> {
                            UnitBoundariesIT.insert(nested, 2);
                            nested.setSavepoint("bulwark_nested_1");
                            throw new IllegalStateException("the nested unit fails");
                        }));
                assertThat(inner).isNotNull();
                return null;
            }));
            assertThat(UnitBoundariesIT.units(db)).as("outer failure: %s", outer)
                    .doesNotContain(2);
        }
    }
}
