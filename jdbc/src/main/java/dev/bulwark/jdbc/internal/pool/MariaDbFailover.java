package dev.bulwark.jdbc.internal.pool;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds MariaDB Connector/J's own failover loop on a multi-host URL ({@code jdbc:mariadb:sequential:},
 * {@code loadbalance}, {@code replication}, ...). When a connection fails, the driver reconnects inside the call
 * that met the failure; once every host is on its JVM-wide deny list (60 s by default: during a Galera view change
 * the survivors answer 1047 for a moment and get denied too) it retries the host denied first, which may be the
 * dead one, {@code retriesAllDown} (120) times with 250 ms sleeps: a call sleeps 30 s whatever its deadline, and no
 * other host is tried. Bulwark retries on a new connection itself, so it asks the driver for a short loop
 * ({@code retriesAllDown=3}) and a short deny list ({@code deniedListTimeout=2000} ms), unless the application set
 * either. Applied to the pool's driver properties before its first connection, or to a running pool's
 * {@code DriverDataSource} (new connections get them); where neither is possible a warning names the settings.
 * Stateless.
 */
final class MariaDbFailover {

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbFailover.class);
    private MariaDbFailover() {
    }

    /** Applies the bounded settings to {@code hikari} where its URL is a MariaDB failover URL; never throws. */
    static void bound(HikariDataSource hikari) {
        String url = hikari.getJdbcUrl();
        if (!MariaDbFailoverSettings.multiHost(url)) {
            return;
        }
        Map<String, String> missing = MariaDbFailoverSettings.missing(url, hikari.getDataSourceProperties());
        if (missing.isEmpty()) {
            return;
        }
        // The configuration's own properties: used by a pool that has not started yet and by Bulwark's
        // connections past the pool (HikariDirect). A sealed configuration refuses addDataSourceProperty, but its
        // properties object is the one both read.
        missing.forEach(hikari.getDataSourceProperties()::putIfAbsent);
        if (hikari.getHikariPoolMXBean() == null) {
            LOG.info("{}: MariaDB failover URL: set {} for the driver (a call must not sleep in its reconnect loop "
                    + "past its deadline)", hikari.getPoolName(), missing);
            return;
        }
        if (applyToRunningPool(hikari, missing)) {
            // The connections the pool opened already keep the driver's defaults: replace them (idle ones now,
            // busy ones when returned), once, as the data source is wrapped.
            hikari.getHikariPoolMXBean().softEvictConnections();
            LOG.info("{}: MariaDB failover URL: set {} on the running pool, whose connections are renewed (a call "
                    + "must not sleep in the driver's reconnect loop past its deadline)", hikari.getPoolName(), missing);
        } else {
            LOG.warn("{}: MariaDB failover URL without {}: the driver may sleep up to 30 s in its reconnect loop, "
                    + "past any deadline; add them to the JDBC URL", hikari.getPoolName(), missing);
        }
    }

    /** HikariCP copies the driver properties into its DriverDataSource when the pool starts. */
    private static boolean applyToRunningPool(HikariDataSource hikari, Map<String, String> missing) {
        try {
            Object pool = hikari.getHikariPoolMXBean();
            Field dataSourceField = Class.forName("com.zaxxer.hikari.pool.PoolBase").getDeclaredField("dataSource");
            dataSourceField.setAccessible(true);
            Object dataSource = dataSourceField.get(pool);
            if (!(dataSource instanceof DataSource) || !dataSource.getClass().getName()
                    .equals("com.zaxxer.hikari.util.DriverDataSource")) {
                return false;
            }
            Field propertiesField = dataSource.getClass().getDeclaredField("driverProperties");
            propertiesField.setAccessible(true);
            Properties properties = (Properties) propertiesField.get(dataSource);
            missing.forEach(properties::putIfAbsent);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not reach HikariCP's driver properties: {}", e.toString());
            return false;
        }
    }
}
