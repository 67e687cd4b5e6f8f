package dev.bulwark.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A connection opened past the pool gets what a HikariCP configuration would give it, on real PostgreSQL. */
class HikariDirectIT {

    @Test
    void aJdbcUrlPoolsSettingsAreApplied() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
            c.setConnectionInitSql("SET application_name = 'bulwark-direct'");
            HikariDirect direct = new HikariDirect(c);
            assertThat(direct.possible()).isTrue();
            try (Connection conn = direct.open()) {
                assertThat(conn.getAutoCommit()).isFalse();
                assertThat(conn.isReadOnly()).isTrue();
                assertThat(conn.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
                assertThat(setting(conn, "application_name")).isEqualTo("bulwark-direct");
                assertThat(conn.getClass().getName()).as("not a pooled proxy").startsWith("org.postgresql.");
            }
        }
    }

    @Test
    void aDataSourceClassNameIsInstantiatedWithItsProperties() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
            c.addDataSourceProperty("url", db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setTransactionIsolation("REPEATABLE_READ");
            try (Connection conn = new HikariDirect(c).open()) {
                assertThat(conn.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
                assertThat(conn.getAutoCommit()).isTrue();
                assertThat(setting(conn, "current_schema")).isEqualTo(db.name());
            }
        }
    }

    @Test
    void aJndiPoolCannotBeBypassedAndSaysWhy() {
        HikariConfig c = new HikariConfig();
        c.setPoolName("orders-pool");
        c.setDataSourceJNDI("java:comp/env/jdbc/orders");
        HikariDirect direct = new HikariDirect(c);
        assertThat(direct.possible()).as("HikariPoolControl never starts a bypass for it").isFalse();
        assertThatThrownBy(direct::open)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("orders-pool").hasMessageContaining("JNDI")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void aDataSourceClassNamesConnectIsBoundedByTheConnectionTimeout() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            HikariConfig c = new HikariConfig();
            c.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
            c.addDataSourceProperty("url", cluster.jdbcUrl());
            c.setUsername(cluster.user());
            c.setPassword(cluster.password());
            c.setConnectionTimeout(1_000);
            HikariDirect direct = new HikariDirect(c);
            cluster.freeze(); // accepts TCP, never answers the start-up
            try {
                long start = System.nanoTime();
                Throwable e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowable(direct::open));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(e).as("a connect to a frozen server").isInstanceOf(SQLException.class);
                assertThat(elapsedMs).as("ms until the connect gave up (connectionTimeout 1 s)").isLessThan(1_000 + 1_500);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void isolationNamesAsHikariAcceptsThem() {
        assertThat(HikariDirect.isolation("TRANSACTION_READ_COMMITTED")).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(HikariDirect.isolation("serializable")).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(HikariDirect.isolation("4")).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(name.equals("current_schema") ? "SELECT current_schema()" : "SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
