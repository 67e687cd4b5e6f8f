package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link FaultProxy} between pgjdbc and a real PostgreSQL server. */
class FaultProxyPostgresIT extends FaultProxyContract {

    @Override
    TestDatabase openDatabase() throws Exception {
        return TestDatabases.postgres();
    }

    @Override
    String urlViaProxy(int loginSeconds) {
        return JdbcAddress.parse(db.jdbcUrlVia(proxy.host(), proxy.port()))
                .withParameter("sslmode", "disable")
                .withParameter("gssEncMode", "disable")
                .withParameter("connectTimeout", String.valueOf(loginSeconds))
                .withParameter("loginTimeout", String.valueOf(loginSeconds))
                .withParameter("socketTimeout", "10")
                .toString();
    }

    @Test
    void cutsACommitSentAsASimpleQuery() throws Exception {
        String url = urlViaProxy(5) + "&preferQueryMode=simple";
        proxy.cutOnCommit(1);
        try (Connection c = DriverManager.getConnection(url, db.connectionProperties())) {
            c.setAutoCommit(false);
            insert(c, "simple");
            SQLException e = catchThrowableOfType(SQLException.class, c::commit);
            report("COMMIT cut (simple query protocol)", e);
            assertThat(e.getSQLState()).isEqualTo("08006");
        }
        assertCommittedOnServer("simple");
        assertThat(proxy.stats().commitsCut()).isEqualTo(1);
    }

    @Override
    void boundLockWait(Connection direct) throws SQLException {
        try (Statement s = direct.createStatement()) {
            s.execute("SET lock_timeout = '10s'");
        }
    }
}
