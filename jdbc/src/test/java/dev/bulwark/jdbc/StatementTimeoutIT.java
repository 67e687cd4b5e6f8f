package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default statement timeout ({@code bulwark.timeout.statement}) ends a statement that runs too long, as a
 * classified timeout on a connection that stays usable, on every borrow of a pooled connection; on PostgreSQL
 * also after the application changed the session's own {@code statement_timeout}.
 */
class StatementTimeoutIT {

    interface DbFactory {
        TestDatabase open() throws Exception;
    }

    static Stream<DbFactory> servers() {
        return Stream.of(TestDatabases::postgres, TestDatabases::mariadb);
    }

    private static HikariDataSource pool(TestDatabase db, Consumer<HikariConfig> tweak) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        if (db.user() != null) {
            c.setUsername(db.user());
            c.setPassword(db.password());
        }
        c.setMaximumPoolSize(1); // every borrow gets the same physical connection
        c.setPoolName("stmt-timeout-" + db.engine());
        tweak.accept(c);
        return new HikariDataSource(c);
    }

    private static BulwarkDataSource wrap(HikariDataSource pool) {
        return Bulwark.wrap(pool, BulwarkConfig.builder()
                .withTimeouts(TimeoutConfig.builder().withStatement(Duration.ofSeconds(1)).build()).build());
    }

    private static String sleep(TestDatabase db, int seconds) {
        return db.engine() == TestDatabase.Engine.POSTGRESQL ? "SELECT pg_sleep(" + seconds + ")" : "SELECT SLEEP(" + seconds + ")";
    }

    /** Runs a long sleep on {@code c}, expects the timeout, then checks that the connection still answers. */
    private static void assertTimesOut(TestDatabase db, Connection c) throws SQLException {
        SQLTimeoutException e;
        try (Statement s = c.createStatement()) {
            e = catchThrowableOfType(SQLTimeoutException.class, () -> {
                try (ResultSet rs = s.executeQuery(sleep(db, 5))) {
                    rs.next();
                }
            });
        }
        assertThat((Throwable) e).as("a 5 s statement under a 1 s default statement timeout").isNotNull();
        if (db.engine() == TestDatabase.Engine.POSTGRESQL) {
            assertThat(e.getSQLState()).isEqualTo("57014");
        } else {
            assertThat(e.getErrorCode()).isEqualTo(1969); // max_statement_time exceeded
        }
        if (!c.getAutoCommit()) {
            c.rollback(); // PostgreSQL refuses everything else in a transaction a failed statement aborted
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).as("the statement was cancelled, the connection kept").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void theDefaultStatementTimeoutCancelsALongStatementOnEveryBorrow(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = pool(db, c -> { })) {
            BulwarkDataSource ds = wrap(pool);
            for (int borrow = 0; borrow < 2; borrow++) {
                try (Connection c = ds.getConnection()) {
                    assertTimesOut(db, c);
                }
            }
            assertThat(ds.<Integer>inAutoCommit(TransactionOptions.defaults(), c -> {
                assertTimesOut(db, c);
                return 1;
            })).isEqualTo(1);
        }
    }

    @Test
    void postgresStatementTimeoutTurnedOffByTheApplicationStillEndsStatements() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, c -> { })) {
            BulwarkDataSource ds = wrap(pool);
            try (Connection c = ds.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET statement_timeout = 0");
                }
                assertTimesOut(db, c); // bounded by the client from now on
            }
            try (Connection c = ds.getConnection()) {
                assertTimesOut(db, c); // the next borrow of the same physical connection
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("RESET ALL");
            }
            try (Connection c = ds.getConnection()) {
                assertTimesOut(db, c);
            }
        }
    }

    @Test
    void postgresSessionsOfTheUrlDriverCarryTheDefaultAsTheirStatementTimeout() throws Exception {
        // The jdbc:bulwark: driver's connections are its own (closed on release): the setting cannot leak.
        try (TestDatabase db = TestDatabases.postgres()) {
            String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length())
                    + (db.jdbcUrl().contains("?") ? "&" : "?") + "bulwark.timeout.statement=1s";
            try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("1s");
                }
                assertTimesOut(db, c);
            }
        }
    }

    @Test
    void postgresSessionsOfAWrappedPoolKeepTheirOwnStatementTimeout() throws Exception {
        // Code borrowing from the same pool around Bulwark would inherit a session setting (SessionSettingsIT):
        // the default is enforced from the client instead.
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, c -> { })) {
            BulwarkDataSource ds = wrap(pool);
            try (Connection c = ds.getConnection()) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("0");
                }
                assertTimesOut(db, c);
            }
        }
    }

    @Test
    void postgresWithStatementOnServerOffBoundsStatementsFromTheClient() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, c -> { })) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withTimeouts(TimeoutConfig.builder()
                    .withStatement(Duration.ofSeconds(1)).withStatementOnServer(false).build()).build());
            try (Connection c = ds.getConnection()) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("0");
                }
                assertTimesOut(db, c);
            }
        }
    }

    @Test
    void postgresKeepsALowerStatementTimeoutOfItsOwn() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             HikariDataSource pool = pool(db, c -> c.setConnectionInitSql("SET statement_timeout = 200"))) {
            BulwarkDataSource ds = wrap(pool);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("200ms");
            }
        }
    }

    @Test
    void postgresPoolInManualCommitModeStillEndsStatements() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, c -> c.setAutoCommit(false))) {
            BulwarkDataSource ds = wrap(pool);
            for (int borrow = 0; borrow < 2; borrow++) {
                try (Connection c = ds.getConnection()) {
                    assertTimesOut(db, c);
                }
            }
        }
    }
}
