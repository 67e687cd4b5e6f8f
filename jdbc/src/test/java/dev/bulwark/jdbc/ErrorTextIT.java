package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The error text a caller of Bulwark sees, on every dialect: the top-level message names the kind of failure and
 * carries the server's primary message with literal values redacted; the driver's exception, with everything the
 * driver put in it, stays the cause.
 */
class ErrorTextIT {

    /** A value that must never appear in a message Bulwark makes. */
    private static String canary() {
        return "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static SQLException failure(BulwarkDataSource ds, String sql, String bound) {
        return catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (bound != null) {
                    p.setString(1, bound);
                }
                return p.execute();
            }
        }));
    }

    private static void assertBulwarks(SQLException e, String value, String... mustContain) {
        assertThat((Throwable) e).as("a failure").isNotNull();
        assertThat(e.getCause()).as("the driver's exception is the cause").isInstanceOf(SQLException.class);
        assertThat(e.getStackTrace()[0].getClassName()).as("created by Bulwark").startsWith("dev.bulwark.");
        assertThat(e.getMessage()).as("top-level message").doesNotContain(value).contains(mustContain);
        String driverState = ((SQLException) e.getCause()).getSQLState();
        if (driverState != null) {
            assertThat(e.getSQLState()).isEqualTo(driverState);
        } else {
            // SQLite reports none: the kind's class state, never null on the JDBC surface
            assertThat(e.getSQLState()).as("SQLState where the driver gave none").isNotNull().hasSize(5);
        }
    }

    @Test
    void postgresMessagesCarryThePrimaryTextWithoutValues() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE acct (id TEXT PRIMARY KEY, n INT CHECK (n > 0))");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            String v = canary();
            db.execute("INSERT INTO acct VALUES ('" + v + "', 1)");

            SQLException dup = failure(ds, "INSERT INTO acct VALUES (?, 1)", v);
            assertThat((Throwable) dup).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertBulwarks(dup, v, "integrity constraint", "duplicate key value violates unique constraint \"acct_pkey\"");
            assertThat(dup.getCause().getMessage()).as("the driver keeps its detail").contains(v);

            SQLException missing = failure(ds, "SELECT * FROM accounts_nowhere", null);
            assertBulwarks(missing, v, "relation \"accounts_nowhere\" does not exist", "42P01");

            SQLException syntax = failure(ds, "INSERT INTO acct VALUES '" + v + "'", null);
            assertThat((Throwable) syntax).isInstanceOf(SQLSyntaxErrorException.class);
            assertBulwarks(syntax, v, "syntax error");

            SQLException data = failure(ds, "INSERT INTO acct VALUES ('x', CAST(? AS INT))", v);
            assertThat((Throwable) data).isInstanceOf(SQLDataException.class);
            assertBulwarks(data, v, "invalid input syntax for type integer");

            SQLException check = failure(ds, "INSERT INTO acct VALUES (?, -1)", v);
            assertBulwarks(check, v, "violates check constraint \"acct_n_check\"");
        }
    }

    @Test
    void anUnsupportedFeatureStaysASqlFeatureNotSupportedException() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            try (Connection c = ds.getConnection()) {
                SQLException e = catchThrowableOfType(SQLException.class, c::createBlob);
                assertThat((Throwable) e).as("JDBC's type for an unsupported method")
                        .isInstanceOf(SQLFeatureNotSupportedException.class);
                assertThat(e.getCause()).as("the driver's exception").isInstanceOf(SQLFeatureNotSupportedException.class);
            }
        }
    }

    @Test
    void mariadbMessagesAreBulwarksAndCarryTheServerTextWithoutValues() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            db.execute("CREATE TABLE acct (id VARCHAR(40) PRIMARY KEY, n INT, CONSTRAINT n_positive CHECK (n > 0))");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            String v = canary();
            db.execute("INSERT INTO acct VALUES ('" + v + "', 1)");

            SQLException dup = failure(ds, "INSERT INTO acct VALUES (?, 1)", v);
            assertThat((Throwable) dup).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertBulwarks(dup, v, "integrity constraint", "Duplicate entry", "for key 'PRIMARY'");
            assertThat(dup.getCause().getMessage()).as("the driver keeps its text").contains(v);

            SQLException missing = failure(ds, "SELECT * FROM accounts_nowhere", null);
            assertBulwarks(missing, v, "accounts_nowhere", "doesn't exist", "42S02");

            SQLException syntax = failure(ds, "INSERT INTO acct VALUES '" + v + "'", null);
            assertThat((Throwable) syntax).isInstanceOf(SQLSyntaxErrorException.class);
            assertBulwarks(syntax, v, "error in your SQL syntax");

            SQLException data = failure(ds, "INSERT INTO acct VALUES ('x', ?)", v);
            assertThat((Throwable) data).isInstanceOf(SQLDataException.class);
            assertBulwarks(data, v, "Incorrect integer value");

            SQLException check = failure(ds, "INSERT INTO acct VALUES (?, -1)", v);
            assertBulwarks(check, v, "n_positive");
        }
    }

    @Test
    void sqliteMessagesAreBulwarksAndCarryTheEngineTextWithoutValues() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE acct (id TEXT PRIMARY KEY, n INTEGER CHECK (n > 0)) STRICT");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            String v = canary();
            db.execute("INSERT INTO acct VALUES ('" + v + "', 1)");

            SQLException dup = failure(ds, "INSERT INTO acct VALUES (?, 1)", v);
            assertBulwarks(dup, v, "integrity constraint", "UNIQUE constraint failed: acct.id");

            SQLException missing = failure(ds, "SELECT * FROM accounts_nowhere", null);
            assertBulwarks(missing, v, "no such table: accounts_nowhere");

            SQLException syntax = failure(ds, "INSERT INTO acct VALUES '" + v + "'", null);
            assertBulwarks(syntax, v, "syntax error");

            SQLException data = failure(ds, "INSERT INTO acct VALUES ('x', ?)", v);
            assertBulwarks(data, v, "cannot store TEXT value in INTEGER column");
        }
    }
}
