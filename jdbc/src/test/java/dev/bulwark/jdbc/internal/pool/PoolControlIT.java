package dev.bulwark.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoolControlIT {

    private TestDatabase db;

    @BeforeEach
    void reserve() throws SQLException {
        db = TestDatabases.postgres();
    }

    @AfterEach
    void release() throws Exception {
        db.close();
    }

    private HikariDataSource hikari(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("pool-control-it");
        return new HikariDataSource(config);
    }

    @Test
    void evictedHikariConnectionIsNeverLentAgainAndItsSessionEnds() throws SQLException {
        try (HikariDataSource pool = hikari(1)) {
            PoolControl control = PoolControl.of(pool);
            assertThat(control).isInstanceOf(HikariPoolControl.class);
            int evictedPid;
            try (Connection c = pool.getConnection()) {
                evictedPid = backendPid(c);
                control.evict(c);
            }
            try (Connection c = pool.getConnection()) {
                assertThat(backendPid(c)).isNotEqualTo(evictedPid);
            }
            assertThat(sessionExists(evictedPid)).isFalse();
        }
    }

    @Test
    void evictAllReplacesEveryIdleHikariConnection() throws SQLException {
        try (HikariDataSource pool = hikari(2)) {
            PoolControl control = PoolControl.of(pool);
            Set<Integer> before = twoPids(pool);
            assertThat(control.evictAll()).isTrue();
            Set<Integer> after = twoPids(pool);
            assertThat(after).doesNotContainAnyElementsOf(before);
            assertThat(control.stats()).hasValueSatisfying(s -> assertThat(s.total()).isLessThanOrEqualTo(2));
        }
    }

    @Test
    void aConnectionFromAWrapperAroundHikariIsStillEvicted() throws SQLException {
        try (HikariDataSource pool = hikari(1)) {
            javax.sql.DataSource wrapped = dev.bulwark.testkit.ChaosDataSource.wrap(pool,
                    dev.bulwark.testkit.ChaosPlan.none());
            PoolControl control = PoolControl.of(wrapped);
            assertThat(control).isInstanceOf(HikariPoolControl.class);
            int evictedPid;
            try (Connection c = wrapped.getConnection()) {
                evictedPid = backendPid(c);
                control.evict(c); // not HikariCP's own proxy: HikariCP alone would ignore it
            }
            assertThat(sessionExists(evictedPid)).isFalse();
            try (Connection c = wrapped.getConnection()) {
                assertThat(backendPid(c)).isNotEqualTo(evictedPid);
            }
        }
    }

    @Test
    void anyOtherDataSourceIsEvictedByAbortWhichEndsTheSession() throws SQLException {
        PoolControl control = PoolControl.of(db.dataSource());
        assertThat(control).isInstanceOf(AbortPoolControl.class);
        assertThat(control.evictAll()).isFalse();
        assertThat(control.stats()).isEmpty();
        Connection c = db.connect();
        int pid = backendPid(c);
        control.evict(c);
        assertThat(c.isClosed()).isTrue();
        assertThat(sessionExists(pid)).isFalse();
    }

    private Set<Integer> twoPids(HikariDataSource pool) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            pids.add(backendPid(a));
            pids.add(backendPid(b));
        }
        return pids;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The server notices a closed socket asynchronously; poll briefly. */
    private boolean sessionExists(int pid) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 100; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return false;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return true;
        }
    }
}
