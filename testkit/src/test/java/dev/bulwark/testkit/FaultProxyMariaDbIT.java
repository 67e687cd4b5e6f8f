package dev.bulwark.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** {@link FaultProxy} between MariaDB Connector/J and a real MariaDB server. */
class FaultProxyMariaDbIT extends FaultProxyContract {

    @Override
    TestDatabase openDatabase() throws Exception {
        return TestDatabases.mariadb();
    }

    @Override
    String urlViaProxy(int loginSeconds) {
        return JdbcAddress.parse(db.jdbcUrlVia(proxy.host(), proxy.port()))
                .withParameter("sslMode", "disable")
                .withParameter("connectTimeout", String.valueOf(loginSeconds * 1000))
                .withParameter("socketTimeout", "10000")
                .toString();
    }

    @Override
    void boundLockWait(Connection direct) throws SQLException {
        try (Statement s = direct.createStatement()) {
            s.execute("SET SESSION innodb_lock_wait_timeout = 10");
        }
    }
}
