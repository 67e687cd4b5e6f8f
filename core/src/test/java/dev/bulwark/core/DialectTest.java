package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dialect detection from JDBC URLs, product names and exception classes. */
class DialectTest {

    @ParameterizedTest
    @CsvSource({
            "jdbc:postgresql://db:5432/app, POSTGRESQL",
            "JDBC:PostgreSQL://db/app, POSTGRESQL",
            "jdbc:bulwark:postgresql://db/app?bulwark.retry.maxAttempts=5, POSTGRESQL",
            "jdbc:p6spy:bulwark:mysql://db/app, MYSQL",
            "jdbc:yugabytedb://db:5433/yugabyte, POSTGRESQL",
            "jdbc:aws-wrapper:postgresql://db/app, POSTGRESQL",
            "jdbc:mariadb://db:3306/app, MYSQL",
            "jdbc:mysql://db/app, MYSQL",
            "jdbc:sqlite:/tmp/app.db, SQLITE",
            "jdbc:sqlite::memory:, SQLITE",
            "jdbc:h2:mem:test, H2",
            "jdbc:oracle:thin:@db:1521/app, GENERIC",
            "jdbc:bulwark:, GENERIC",
            "jdbc:, GENERIC"})
    void detectsTheDialectOfAJdbcUrl(String url, Dialect expected) {
        assertThat(Dialect.fromJdbcUrl(url)).isEqualTo(expected);
    }

    @Test
    void refusesWhatIsNotAJdbcUrlWithoutRepeatingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> Dialect.fromJdbcUrl("postgresql://u:secret@db/app"))
                .withMessageContaining("jdbcUrl").withMessageNotContaining("secret");
        assertThatNullPointerException().isThrownBy(() -> Dialect.fromJdbcUrl(null)).withMessage("jdbcUrl");
    }

    @ParameterizedTest
    @CsvSource({"PostgreSQL, POSTGRESQL", "CockroachDB, POSTGRESQL", "YugabyteDB, POSTGRESQL", "MySQL, MYSQL",
            "MariaDB, MYSQL", "SQLite, SQLITE", "H2, H2", "Oracle, GENERIC", "'', GENERIC"})
    void detectsTheDialectOfAProductName(String name, Dialect expected) {
        assertThat(Dialect.fromProductName(name)).isEqualTo(expected);
    }

    @Test
    void infersTheDialectFromTheExceptionsPackage() {
        assertThat(Dialect.inferFrom(new org.postgresql.util.PSQLException("x", null))).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.inferFrom(new org.sqlite.SQLiteException("x", org.sqlite.SQLiteErrorCode.SQLITE_BUSY)))
                .isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.inferFrom(new org.h2.jdbc.JdbcSQLTimeoutException("x", null, "HYT00", 50200, null, null)))
                .isEqualTo(Dialect.H2);
        assertThat(Dialect.inferFrom(new SQLException("made in this test"))).isEqualTo(Dialect.GENERIC);
    }

    @Test
    void infersTheDialectOfJdkExceptionsFromTheClassThatCreatedThem() {
        SQLException fromMariaDb = new SQLException("lock wait", "HY000", 1205);
        fromMariaDb.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("org.mariadb.jdbc.export.ExceptionFactory", "create", null, 1)});
        assertThat(Dialect.inferFrom(fromMariaDb)).isEqualTo(Dialect.MYSQL);
        assertThat(Faults.classify(fromMariaDb).kind()).isEqualTo(FaultKind.TRANSIENT);

        SQLException noTrace = new SQLException("lock wait", "HY000", 1205);
        noTrace.setStackTrace(new StackTraceElement[0]);
        assertThat(Dialect.inferFrom(noTrace)).isEqualTo(Dialect.GENERIC);
    }
}
