package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The stacks whose recovery is timed: the same HikariCP pool over pgjdbc, used raw or through
 * {@code Bulwark.wrap}. Both run the same unit: one INSERT in its own transaction.
 */
enum RecoveryStack {
    /** HikariCP + pgjdbc as an application configures it: socket and pool timeouts, no retries. */
    RAW("raw"),
    /** {@code Bulwark.wrap(hikari)} (defaults), each unit under a deadline. */
    BULWARK("bulwark");

    /** The clients' {@code application_name}, by which the session kills find them. */
    static final String APPLICATION_NAME = "recovery-timing";

    static final String INSERT = "INSERT INTO writes (client) VALUES (?)";

    private final String label;

    RecoveryStack(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The pool settings, shared by both stacks. */
    record PoolSettings(int size, Duration connectionTimeout, int connectTimeoutSeconds, int socketTimeoutSeconds) {

        /** pgjdbc's options appended to {@code url}. */
        String url(String url) {
            return url + (url.contains("?") ? "&" : "?") + "connectTimeout=" + connectTimeoutSeconds
                    + "&socketTimeout=" + socketTimeoutSeconds + "&ApplicationName=" + APPLICATION_NAME;
        }

        @Override
        public String toString() {
            return String.format("HikariCP maximumPoolSize=minimumIdle=%d, connectionTimeout=%d ms; "
                    + "pgjdbc connectTimeout=%d s, socketTimeout=%d s", size, connectionTimeout.toMillis(),
                    connectTimeoutSeconds, socketTimeoutSeconds);
        }
    }

    /** An open client of this stack on {@code url}. */
    Client open(String url, String user, String password, PoolSettings settings, Duration deadline) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("recovery-" + label);
        config.setJdbcUrl(settings.url(url));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.size());
        config.setMinimumIdle(settings.size());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        HikariDataSource hikari = new HikariDataSource(config);
        if (this == RAW) {
            return new Client(hikari, client -> {
                try (Connection c = hikari.getConnection()) {
                    c.setAutoCommit(false);
                    insert(c, client);
                    c.commit();
                }
            });
        }
        BulwarkDataSource db = Bulwark.wrap(hikari, BulwarkConfig.builder().withName("recovery-" + label).build());
        TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).build();
        return new Client(hikari, client -> db.inTransaction(unit, c -> {
            insert(c, client);
            return null;
        }));
    }

    private static void insert(Connection c, int client) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(INSERT)) {
            p.setInt(1, client);
            p.executeUpdate();
        }
    }

    /** The unit a client thread calls, and the pool to close after the run. */
    record Client(HikariDataSource pool, ClientLoad.Call call) implements AutoCloseable {
        @Override
        public void close() {
            pool.close();
        }
    }
}
