package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult.Status;

/** The extension hands out a real FaultProxy in front of the test's database and closes it afterwards. */
class FaultProxyExtensionIT {

    @BulwarkTest
    static final class Sample {
        static final List<FaultProxy> PROXIES = new CopyOnWriteArrayList<>();

        @Test
        void queriesPassThroughTheProxyAndACutIsSeen(@Postgres TestDatabase db, @Postgres FaultProxy proxy)
                throws SQLException {
            PROXIES.add(proxy);
            try (Connection c = db.dataSourceVia(proxy.host(), proxy.port()).getConnection();
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                    rs.next();
                    if (!db.name().equals(rs.getString(1))) {
                        throw new AssertionError("the proxy does not lead to the test's schema");
                    }
                }
                proxy.cutAllConnections();
                try {
                    s.executeQuery("SELECT 1");
                    throw new AssertionError("a cut connection answered");
                } catch (SQLException expected) {
                    if (!expected.getSQLState().startsWith("08")) {
                        throw expected;
                    }
                }
            }
        }

        @Test
        void sqliteCannotHaveAProxy(@Sqlite FaultProxy proxy) {
            throw new AssertionError("must not be resolved: " + proxy);
        }
    }

    @Test
    void aProxyParameterIsRealAndClosedAfterTheTest() {
        Sample.PROXIES.clear();
        var results = SampleRun.of(Sample.class);
        assertThat(results.get("queriesPassThroughTheProxyAndACutIsSeen").getStatus()).isEqualTo(Status.SUCCESSFUL);
        FaultProxy proxy = Sample.PROXIES.get(0);
        assertThat(proxy.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.stats().connectionsCut(FaultProxy.CutReason.CUT_ALL)).isEqualTo(1);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(proxy.host(), proxy.port()), 1000);
            }
        }).as("the proxy no longer listens after the test").isInstanceOf(IOException.class);
    }

    @Test
    void aProxyInFrontOfSqliteIsRefusedNamingTheParameter() {
        var result = SampleRun.of(Sample.class).get("sqliteCannotHaveAProxy");
        assertThat(result.getStatus()).isEqualTo(Status.FAILED);
        assertThat(result.getThrowable()).get().asString().contains("SQLite is embedded");
    }
}
