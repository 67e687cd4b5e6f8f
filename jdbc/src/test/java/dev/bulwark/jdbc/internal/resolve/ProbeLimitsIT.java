package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's reading of real server errors: a lock wait is "held", a constraint error is not. */
class ProbeLimitsIT {

    @Test
    void constraintErrorsAreNotLockWaits() throws Exception {
        for (TestDatabase db : List.of(TestDatabases.postgres(), TestDatabases.mariadb(), TestDatabases.sqlite())) {
            try (db) {
                db.execute("CREATE TABLE t (id VARCHAR(10) PRIMARY KEY, v INT NOT NULL)",
                        "INSERT INTO t (id, v) VALUES ('a', 1)");

                assertThat(ProbeLimits.isLockHeld(fail(db, "INSERT INTO t (id, v) VALUES ('a', 2)")))
                        .as("duplicate on %s", db).isFalse();
                assertThat(ProbeLimits.isLockHeld(fail(db, "INSERT INTO t (id, v) VALUES ('b', NULL)")))
                        .as("not null on %s", db).isFalse();
            }
        }
    }

    @Test
    void recognisesRealLockWaitOnPostgres() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            assertThat(ProbeLimits.isLockHeld(whileHeld(db, "SET lock_timeout = '50ms'; INSERT INTO t VALUES ('a')")))
                    .isTrue();
        }
    }

    @Test
    void recognisesRealLockWaitOnMariaDb() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            assertThat(ProbeLimits.isLockHeld(whileHeld(db,
                    "SET STATEMENT innodb_lock_wait_timeout=1 FOR INSERT INTO t VALUES ('a')"))).isTrue();
        }
    }

    @Test
    void recognisesRealBusyOnSqlite() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id VARCHAR(10) PRIMARY KEY)");
            try (Connection holder = db.connect(); Connection other = db.connect();
                 Statement s = other.createStatement()) {
                holder.setAutoCommit(false);
                holder.createStatement().executeUpdate("INSERT INTO t VALUES ('a')");
                s.execute("PRAGMA busy_timeout = 0");

                SQLException busy = catchThrowableOfType(SQLException.class,
                        () -> s.executeUpdate("INSERT INTO t VALUES ('b')"));

                assertThat(ProbeLimits.isLockHeld(busy)).isTrue();
            }
        }
    }

    /** Runs {@code sql} while another connection holds an uncommitted row with key 'a'. */
    private static SQLException whileHeld(TestDatabase db, String sql) throws SQLException {
        db.execute("CREATE TABLE t (id VARCHAR(10) PRIMARY KEY)");
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            holder.createStatement().executeUpdate("INSERT INTO t VALUES ('a')");
            return fail(db, sql);
        }
    }

    private static SQLException fail(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
            assertThat((Throwable) e).as("%s must fail on %s", sql, db).isNotNull();
            return e;
        }
    }
}
