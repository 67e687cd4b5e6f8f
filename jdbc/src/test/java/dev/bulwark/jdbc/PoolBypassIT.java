package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * After an outage HikariCP refills its pool from one thread that backs off up to 5 s between attempts, so
 * the database is back long before the pool is. Bulwark lends connections opened past the empty pool
 * meanwhile, no more than the pool's maximum size, and goes back to the pool once it has connections.
 * The outage is real: a proxy in front of PostgreSQL refuses every new connection.
 */
class PoolBypassIT {

    @Test
    void afterAnOutageUnitsGetConnectionsPastTheEmptyPoolUntilHikariRefills() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            proxy.refuseNewConnections(true);
            long outageStart = System.nanoTime();
            try (HikariDataSource pool = new HikariDataSource(config(db, proxy))) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("bypass").build());
                HikariPoolMXBean stats = pool.getHikariPoolMXBean();

                SQLException down = catchThrowableOfType(SQLException.class, () -> insert(ds, 1, null));
                assertThat(down.getSQLState()).as("the first unit in the outage").startsWith("08");
                // Once Bulwark has seen the outage, a call tries the database directly first; refused, it waits
                // for the pool as it would without Bulwark, so a short outage costs nothing but the wait.
                // The caller keeps trying the database until its deadline, then the pool's wait ends it.
                SQLException refused = catchThrowableOfType(SQLException.class,
                        () -> insert(ds, 2, null, Duration.ofSeconds(1)));
                assertThat(refused.getSQLState()).startsWith("08");
                assertThat(causesAndSuppressed(refused)).as("the direct attempts, refused, then the pool's wait")
                        .anyMatch(t -> t.getClass().getName().startsWith("org.postgresql."))
                        .anyMatch(t -> String.valueOf(t.getMessage()).contains("request timed out"));

                // HikariCP has been failing for 6 s: its refill thread is in a sleep of 2.5 to 5 s.
                LockSupport.parkNanos(Math.max(0, outageStart + Duration.ofSeconds(6).toNanos() - System.nanoTime()));
                assertThat(stats.getTotalConnections()).isZero();
                proxy.refuseNewConnections(false);

                int[] borrowedFromPool = new int[1];
                insert(ds, 3, c -> borrowedFromPool[0] = stats.getActiveConnections());
                assertThat(borrowedFromPool[0]).as("connections HikariCP had lent while the first unit after the "
                        + "outage ran: its connection came from outside the pool").isZero();

                // At most maximumPoolSize (2) connections past the pool at once.
                List<Connection> held = new ArrayList<>();
                try {
                    held.add(ds.getConnection());
                    held.add(ds.getConnection());
                    assertThat(bypassed(ds)).isEqualTo(2);
                    Connection third = null;
                    try {
                        third = ds.getConnection(); // from the pool once HikariCP refilled, or a timeout
                    } catch (SQLException tooMany) {
                        assertThat(tooMany.getSQLState()).startsWith("08");
                    }
                    assertThat(bypassed(ds)).as("connections open past the pool").isEqualTo(2);
                    if (third != null) {
                        held.add(third);
                        assertThat(stats.getActiveConnections()).as("the third came from the pool").isEqualTo(1);
                    }
                } finally {
                    for (Connection c : held) {
                        c.close();
                    }
                }
                assertThat(bypassed(ds)).as("closed for real when released").isZero();

                await(() -> stats.getTotalConnections() > 0, Duration.ofSeconds(10), "HikariCP refilled its pool");
                insert(ds, 4, c -> borrowedFromPool[0] = stats.getActiveConnections());
                assertThat(borrowedFromPool[0]).as("once refilled, units borrow from the pool again").isEqualTo(1);
                assertThat(ds.health().status()).isEqualTo(Health.Status.UP);
            }
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
                List<Integer> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
                assertThat(ids).containsExactly(3, 4);
            }
        }
    }

    private static HikariConfig config(TestDatabase db, FaultProxy proxy) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrlVia(proxy.host(), proxy.port()));
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(2);
        c.setConnectionTimeout(500);
        c.setInitializationFailTimeout(-1); // the application starts during the outage
        c.setPoolName("bypass-it");
        return c;
    }

    private interface Inside {
        void run(Connection c) throws SQLException;
    }

    private static void insert(BulwarkDataSource ds, int id, Inside inside) throws SQLException {
        insert(ds, id, inside, Duration.ofSeconds(30));
    }

    private static void insert(BulwarkDataSource ds, int id, Inside inside, Duration deadline) throws SQLException {
        TransactionOptions once = TransactionOptions.builder().withMaxAttempts(1).withDeadline(deadline).build();
        ds.inTransaction(once, c -> {
            if (inside != null) {
                inside.run(c);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                p.setInt(1, id);
                return p.executeUpdate();
            }
        });
    }

    private static int bypassed(BulwarkDataSource ds) {
        return ((Number) ds.health().components().get("pool").details().get("bypassed")).intValue();
    }

    /** {@code t}, its causes and their suppressed exceptions, transitively. */
    private static List<Throwable> causesAndSuppressed(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(t));
        while (!todo.isEmpty() && all.size() < 100) {
            Throwable next = todo.pop();
            if (all.stream().noneMatch(seen -> seen == next)) {
                all.add(next);
                if (next.getCause() != null) {
                    todo.push(next.getCause());
                }
                for (Throwable s : next.getSuppressed()) {
                    todo.push(s);
                }
            }
        }
        return all;
    }
}
