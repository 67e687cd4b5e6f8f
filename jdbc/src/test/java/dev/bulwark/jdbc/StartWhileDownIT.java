package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 10: the application starts while its database is down. The pool is built without a database
 * ({@code initializationFailTimeout=-1}); nothing fails at start-up, health says DOWN, calls fail fast with
 * a connection-class error, and once the database is up calls succeed without restarting anything.
 */
class StartWhileDownIT {

    private static final Logger LOG = LoggerFactory.getLogger(StartWhileDownIT.class);
    /** As in the issue: HikariCP's refill back-off has long reached its 5 s ceiling by the end of it. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private final AtomicLong ids = new AtomicLong();

    @Test
    void startsWithoutTheDatabaseFailsFastAndRecoversWhenItComesUp() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
            }
            cluster.stop();
            long outageStart = System.nanoTime();
            try (HikariDataSource bulwarkPool = new HikariDataSource(lenient(cluster, "behind-bulwark"));
                 HikariDataSource rawPool = new HikariDataSource(lenient(cluster, "raw-hikari"))) {
                BulwarkDataSource ds = Bulwark.wrap(bulwarkPool, BulwarkConfig.builder().withName("orders").build());

                Health down = ds.health();
                assertThat(down.status()).isEqualTo(Health.Status.DOWN);
                assertThat(down.toJson()).contains("\"status\":\"DOWN\"").contains("connectivity");
                LOG.info("health while down: {}", down.toJson());

                List<Long> failedNanos = new ArrayList<>();
                List<Long> rejectedNanos = new ArrayList<>();
                while (rejectedNanos.size() < 50 || System.nanoTime() - outageStart < OUTAGE.toNanos()) {
                    long start = System.nanoTime();
                    SQLException e = catchThrowableOfType(SQLException.class, () -> insert(ds));
                    long elapsed = System.nanoTime() - start;
                    // CONNECTION faults become SQLRecoverableException; the breaker's refusal is transient.
                    assertThat((Throwable) e).as("a unit while the database is down")
                            .isInstanceOfAny(SQLRecoverableException.class, CircuitOpenException.class);
                    assertThat(e.getSQLState()).startsWith("08");
                    assertThat(e.getMessage()).isNotBlank();
                    if (e instanceof CircuitOpenException open) {
                        assertThat(open.getSQLState()).isEqualTo("08001");
                        assertThat(open.getMessage()).contains("orders").contains("refused");
                        rejectedNanos.add(elapsed);
                    } else {
                        failedNanos.add(elapsed);
                    }
                    LockSupport.parkNanos(10_000_000);
                }
                assertThat(ds.health().toJson()).contains("\"status\":\"DOWN\"");

                cluster.start();
                long back = System.nanoTime();
                // Bulwark and the raw pool are asked alternately, so that neither gets a head start.
                long bulwarkRecovered = -1;
                long healthyMs = -1;
                long rawRecovered = -1;
                while ((bulwarkRecovered < 0 || healthyMs < 0 || rawRecovered < 0)
                        && ScenarioPool.millisSince(back) < 10_000) {
                    if (bulwarkRecovered < 0 && succeeds(() -> insert(ds))) {
                        bulwarkRecovered = ScenarioPool.millisSince(back);
                    }
                    if (bulwarkRecovered >= 0 && healthyMs < 0 && ds.health().status() == Health.Status.UP) {
                        healthyMs = ScenarioPool.millisSince(back);
                    }
                    if (rawRecovered < 0 && succeeds(() -> rawPool.getConnection().close())) {
                        rawRecovered = ScenarioPool.millisSince(back);
                    }
                    LockSupport.parkNanos(10_000_000);
                }
                LOG.info("FIGURE scenario 10 (start while down): during the {} s outage {} calls failed before the "
                        + "breaker opened (median {} µs: retries of HikariCP's 500 ms connectionTimeout), then {} "
                        + "were refused (median {} µs); first success {} ms after the database was back (raw HikariCP "
                        + "pool alongside: {}); health UP after {} ms: {}", OUTAGE.toSeconds(), failedNanos.size(),
                        ScenarioPool.medianMicros(failedNanos), rejectedNanos.size(),
                        ScenarioPool.medianMicros(rejectedNanos), bulwarkRecovered,
                        rawRecovered < 0 ? "not within 10 s" : rawRecovered + " ms", healthyMs, ds.health().toJson());
                assertThat(ScenarioPool.medianMicros(rejectedNanos)).as("median refusal, µs (generous bound)")
                        .isLessThan(50_000);
                // HikariCP's connection adder backs off 10 ms, doubling, up to 5 s while the database is down, and
                // HikariCP alone lends its first connection only when that sleep ends; Bulwark lends connections
                // opened past the empty pool meanwhile. The issue asks for a healthy data source within a second
                // (typically tens of milliseconds here; the bound leaves room for a loaded machine).
                assertThat(bulwarkRecovered).as("ms until the first unit succeeded").isBetween(0L, 1_000L);
                assertThat(healthyMs).as("ms until health() said UP").isLessThan(1_000L);
                for (int i = 0; i < 20; i++) {
                    insert(ds);
                }
            }
            try (Connection c = cluster.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(21);
            }
        }
    }

    /** A pool an application builds at start-up without waiting for the database. */
    private static HikariConfig lenient(PostgresCluster cluster, String name) {
        HikariConfig c = ScenarioPool.hikari(cluster.jdbcUrl(), cluster, name, 2);
        c.setInitializationFailTimeout(-1);
        return c;
    }

    private int insert(BulwarkDataSource ds) throws SQLException {
        long id = ids.incrementAndGet();
        return ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(2)).build(), c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO orders VALUES (?)")) {
                p.setLong(1, id);
                return p.executeUpdate();
            }
        });
    }

    private interface Call {
        void run() throws SQLException;
    }

    private static boolean succeeds(Call call) {
        try {
            call.run();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
