package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code bulwark doctor} against the real local PostgreSQL, MariaDB and a SQLite file, and a closed port. */
class DoctorCommandIT {

    @Test
    void reportsPostgresqlVersionLatencyAndTimeoutSettings() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            CliRun run = CliRun.of("doctor", db.jdbcUrl(), "--user", db.user());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("server      PostgreSQL").contains("round trip")
                    .contains("statement_timeout = ").contains("idle_in_transaction_session_timeout = ")
                    .contains("tcp_keepalives_idle = ").contains("default_transaction_isolation = ");
        }
    }

    @Test
    void reportsMariadbTimeoutsAndConnectionLimit() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            CliRun run = CliRun.of("doctor", db.jdbcUrl(), "--user", db.user());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("MariaDB").contains("wait_timeout = ").contains("innodb_lock_wait_timeout = ")
                    .contains("max_connections = ");
        }
    }

    @Test
    void aMysqlUrlReachesMariadbThroughTheBundledDriver() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            String mysqlUrl = db.jdbcUrl().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
            CliRun run = CliRun.of("doctor", mysqlUrl, "--user", db.user());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("bulwark doctor: jdbc:mysql:").contains("MariaDB Connector/J")
                    .contains("dialect     mysql").contains("wait_timeout = ");
        }
    }

    @Test
    void aUrlWithoutABundledDriverIsAUsageErrorNamingTheSupportedUrls() {
        CliRun run = CliRun.of("doctor", "jdbc:sqlserver://db:1433;databaseName=shop;password=hunter2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("has no driver in the bulwark command").contains("jdbc:mysql:")
                .doesNotContain("hunter2");
    }

    @Test
    void reportsSqliteJournalModeAndBusyTimeout() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INT)");
            CliRun run = CliRun.of("doctor", db.jdbcUrl());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("server      SQLite").contains("journal_mode = ").contains("busy_timeout = ");
        }
    }

    @Test
    void refusesToCreateAMissingSqliteFile() {
        CliRun run = CliRun.of("doctor", "jdbc:sqlite:/nonexistent-dir/none.db");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no SQLite database at /nonexistent-dir/none.db");
    }

    @Test
    void closedPortFailsWithAClearMessageAndMasksThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, closed below: nothing listens there
        }
        CliRun run = CliRun.of("doctor", "jdbc:postgresql://127.0.0.1:" + port + "/test?user=app&password=hunter2",
                "--timeout", "3");

        assertThat(run.exitCode()).isEqualTo(DoctorCommand.UNREACHABLE);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:" + port)
                .contains("password=***").contains("SQLState 08001");
        assertThat(run.out() + run.err()).doesNotContain("hunter2");
    }

    @Test
    void urlThatIsNotJdbcIsAUsageError() {
        CliRun run = CliRun.of("doctor", "postgres://u:secret@host/db");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("must start with jdbc:").contains("//***@").doesNotContain("secret");
    }
}
