package dev.bulwark.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One database a schedule runs on: the server, a FaultProxy in front of it, a small HikariCP pool through
 * the proxy (wrapped by {@link FailingEndsDataSource}), and direct connections (past the proxy) for set-up,
 * checks and session kills. The ledger table has no key, so a unit applied twice shows as two rows.
 */
final class ScheduleTarget implements AutoCloseable {

    static final int POOL_SIZE = 2;
    static final String LEDGER = "sched_ledger";
    static final String AUX = "sched_aux";
    static final String SLOW = "sched_slow";
    static final String CHECKED = "sched_checked";
    static final String LOCKS = "sched_locks";

    final Schedule.Target kind;
    final FaultProxy proxy;
    final HikariDataSource pool;
    final FailingEndsDataSource dataSource;
    /** The synchronous standby (POSTGRES_SYNC only), else null. */
    final PostgresCluster standby;
    private final String directUrl;
    private final Properties properties;
    private final AutoCloseable owner;
    private final String applicationName = "bulwark-schedule-" + Long.toHexString(System.nanoTime());

    private ScheduleTarget(Schedule.Target kind, String directUrl, String proxiedUrl, Properties properties,
                           FaultProxy proxy, PostgresCluster standby, AutoCloseable owner) throws SQLException {
        this.kind = kind;
        this.directUrl = directUrl;
        this.properties = properties;
        this.proxy = proxy;
        this.standby = standby;
        this.owner = owner;
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(proxiedUrl);
        Properties poolProperties = new Properties();
        poolProperties.putAll(properties);
        if (postgresql()) {
            poolProperties.setProperty("ApplicationName", applicationName);
        }
        c.setDataSourceProperties(poolProperties);
        c.setMaximumPoolSize(POOL_SIZE);
        c.setMinimumIdle(POOL_SIZE);
        c.setConnectionTimeout(5_000); // longer than any unit's deadline: Bulwark must bound the wait
        c.setValidationTimeout(250);
        c.setPoolName("schedule-" + kind);
        this.pool = new HikariDataSource(c);
        this.dataSource = new FailingEndsDataSource(pool);
        createTables();
    }

    static ScheduleTarget postgres() throws Exception {
        TestDatabase db = TestDatabases.postgres();
        FaultProxy proxy = FaultProxy.start(db.host(), db.port());
        return new ScheduleTarget(Schedule.Target.POSTGRES, db.jdbcUrl(), db.jdbcUrlVia(proxy.host(), proxy.port()),
                db.connectionProperties(), proxy, null, db);
    }

    static ScheduleTarget mariadb() throws Exception {
        TestDatabase db = TestDatabases.mariadb();
        FaultProxy proxy = FaultProxy.start(db.host(), db.port());
        return new ScheduleTarget(Schedule.Target.MARIADB, db.jdbcUrl(), db.jdbcUrlVia(proxy.host(), proxy.port()),
                db.connectionProperties(), proxy, null, db);
    }

    /** A scratch primary with a synchronous standby (a few seconds: initdb, start, pg_basebackup). */
    static ScheduleTarget postgresWithSyncStandby() throws Exception {
        PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(true).start();
        try {
            PostgresCluster standby = primary.createStandby();
            FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port());
            AutoCloseable owner = () -> {
                try (standby) {
                    primary.close();
                }
            };
            return new ScheduleTarget(Schedule.Target.POSTGRES_SYNC, primary.jdbcUrl(),
                    "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres",
                    primary.connectionProperties(), proxy, standby, owner);
        } catch (Exception | Error e) {
            primary.close();
            throw e;
        }
    }

    boolean postgresql() {
        return kind != Schedule.Target.MARIADB;
    }

    /** A new connection past the proxy, in autocommit mode. */
    Connection direct() throws SQLException {
        return DriverManager.getConnection(directUrl, properties);
    }

    private void createTables() throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + LEDGER + " (id BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + AUX + " (x INT)");
            s.execute("CREATE TABLE " + CHECKED + " (x INT CHECK (x > 0))");
            s.execute("CREATE TABLE " + LOCKS + " (k INT PRIMARY KEY, v INT NOT NULL)");
            s.execute("INSERT INTO " + LOCKS + " VALUES (1, 0), (2, 0)");
            if (postgresql()) {
                s.execute("CREATE TABLE " + SLOW + " (ms INT NOT NULL)");
                s.execute("CREATE FUNCTION sched_slow_sleep() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN PERFORM pg_sleep(NEW.ms / 1000.0); RETURN NULL; END $$");
                s.execute("CREATE CONSTRAINT TRIGGER sched_slow_commit AFTER INSERT ON " + SLOW
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sched_slow_sleep()");
            }
        }
    }

    /** The SQL that returns the current session's id. */
    String sessionIdSql() {
        return postgresql() ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    }

    /** Ends a session from the server side and waits (bounded) until it is gone. */
    void kill(long session) throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            if (postgresql()) {
                s.execute("SELECT pg_terminate_backend(" + session + ", 5000)");
            } else {
                try {
                    s.execute("KILL CONNECTION " + session);
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1094) { // unknown thread id: already gone
                        throw e;
                    }
                }
            }
        }
    }

    /** How many ledger rows carry {@code id}. */
    long count(long id) throws SQLException {
        try (Connection c = direct();
             PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + LEDGER + " WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Clears every fault and waits (bounded) until no session of the pool is still inside a transaction or a
     * statement on the server, so that a COMMIT held by a healed network has landed before rows are counted.
     */
    void settle() throws SQLException {
        proxy.clearFaults();
        dataSource.disarm();
        if (standby != null && standby.isFrozen()) {
            standby.thaw();
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end && busySessions() > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    private long busySessions() throws SQLException {
        String sql = postgresql()
                ? "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                        + " AND application_name = '" + applicationName + "' AND state IN ('active', 'idle in transaction',"
                        + " 'idle in transaction (aborted)')"
                : "SELECT count(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                        + " ON p.id = t.trx_mysql_thread_id WHERE p.db = database() AND p.id <> CONNECTION_ID()";
        try (Connection c = direct(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        try (AutoCloseable o = owner; FaultProxy p = proxy) {
            if (standby != null && standby.isFrozen()) {
                standby.thaw();
            }
            pool.close();
        }
    }

    @Override
    public String toString() {
        return kind + " via " + proxy;
    }
}
