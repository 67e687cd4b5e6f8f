package dev.bulwark.benchmarks.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.benchmarks.stub.StubDriver;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The stacks whose footprint is compared, each over its own HikariCP pool of the stub driver. The pool keeps
 * no idle connections ({@code minimumIdle=0}), so every connection, with whatever Bulwark attaches to it, is
 * made while the measured connections are borrowed, also where Bulwark sits under the pool as its driver.
 */
enum Stack {
    /** HikariCP over the stub driver: the baseline. */
    RAW("raw"),
    /** {@code Bulwark.wrap(hikari)}: Bulwark above the pool, as an application uses it. */
    BULWARK("bulwark"),
    /** HikariCP over {@code jdbc:bulwark:stub:...}: Bulwark under the pool, as its driver (for tools). */
    DRIVER("bulwark-driver");

    private final String label;

    Stack(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The pool's name, which HikariCP puts in the names of its threads. */
    String poolName(int round) {
        return "memory-" + label + "-" + round;
    }

    /** A HikariCP pool of up to {@code size} connections for this stack (no connection made yet beyond its first). */
    HikariDataSource pool(int size, int round) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName(round));
        if (this == DRIVER) {
            registerStubDriver();
            // The stub database has no transaction ids: with commit resolution "auto", every connection would
            // try again to choose a resolver. A bulwark.name per round gives each round its own DataSource
            // (the driver keeps one per distinct URL), so its fixed cost is measured every round.
            config.setJdbcUrl("jdbc:bulwark:" + StubDriver.url(1).substring("jdbc:".length())
                    + "?bulwark.jdbc.commitResolution=off&bulwark.name=" + poolName(round));
        } else {
            config.setDriverClassName(StubDriver.class.getName());
            config.setJdbcUrl(StubDriver.url(1));
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    /** What the application borrows from: the pool itself, or Bulwark over it. */
    DataSource front(HikariDataSource pool) {
        return this == BULWARK ? Bulwark.wrap(pool, BulwarkConfig.builder().withName(pool.getPoolName())
                .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.OFF).build()).build())
                : pool;
    }

    /** Whether a connection of this stack passes through Bulwark: a harness measuring the wrong stack measures nothing. */
    void check(Connection borrowed) {
        boolean wrapped = isBulwarkWrapper(borrowed);
        if (wrapped != (this != RAW)) {
            throw new IllegalStateException(label + ": expected " + (this == RAW ? "no " : "")
                    + "Bulwark wrapper in the path, got " + borrowed);
        }
    }

    /** The connection itself (Bulwark above the pool) or the one the pool's proxy wraps (Bulwark as the driver). */
    private static boolean isBulwarkWrapper(Connection c) {
        try {
            Connection inner = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
            return c.getClass().getName().startsWith("dev.bulwark.jdbc")
                    || inner.getClass().getName().startsWith("dev.bulwark.jdbc");
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * {@code jdbc:bulwark:} finds its target driver through {@link DriverManager}, where the stub driver is not
     * registered by default (pools take it by class name).
     */
    private static synchronized void registerStubDriver() {
        if (DriverManager.drivers().noneMatch(d -> d instanceof StubDriver)) {
            try {
                DriverManager.registerDriver(new StubDriver());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot register the stub driver", e);
            }
        }
    }
}
