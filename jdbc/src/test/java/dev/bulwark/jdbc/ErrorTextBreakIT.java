package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLTimeoutException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Adversarial review of the error text on real servers: values that reached Bulwark's own messages. */
class ErrorTextBreakIT {

    /**
     * MariaDB 10.11 with {@code lc_messages=zh_CN} answers a duplicate with {@code 重复条目'<value>'键'PRIMARY'}: the
     * quote right after a CJK letter was read as an apostrophe inside a word and the value reached the message.
     */
    @Test
    void aChineseMariadbMessageKeepsNoValue() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            db.execute("CREATE TABLE acct (id VARCHAR(40) PRIMARY KEY)");
            String v = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            db.execute("INSERT INTO acct VALUES ('" + v + "')");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            SQLException dup = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET lc_messages = 'zh_CN'");
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO acct VALUES (?)")) {
                    p.setString(1, v);
                    return p.executeUpdate();
                }
            }));
            assertThat((Throwable) dup).isNotNull();
            assertThat(dup.getCause().getMessage()).as("the server's own text").contains("重复条目").contains(v);
            assertThat(dup.getMessage()).as("Bulwark's message").contains("23000").doesNotContain(v);
        }
    }

    /**
     * JDBC's {@code setQueryTimeout}: MariaDB Connector/J runs the statement under {@code max_statement_time} and
     * throws SQLTimeoutException (70100) after 1 s. Through {@code Bulwark.wrap} the session set its own default
     * (30 s) on the statement before every execute, over the caller's 1 s: the statement ran 30 s.
     */
    @Test
    void theCallersQueryTimeoutIsKeptOnMariadb() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            String slow = "SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = 7";
            SQLException raw;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.setQueryTimeout(1);
                raw = catchThrowableOfType(SQLException.class, () -> s.executeQuery(slow));
            }
            assertThat((Throwable) raw).as("the driver alone").isInstanceOf(SQLTimeoutException.class);

            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            long start = System.nanoTime();
            SQLException wrapped;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(1);
                wrapped = catchThrowableOfType(SQLException.class, () -> s.executeQuery(slow));
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat((Throwable) wrapped).as("through Bulwark").isInstanceOf(SQLTimeoutException.class);
            assertThat(seconds).as("seconds until the caller's 1 s timeout fired").isLessThan(10);
        }
    }
}
