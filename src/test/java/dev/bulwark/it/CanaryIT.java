package dev.bulwark.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.annotations.Transactional;
import dev.bulwark.jdbc.micrometer.BulwarkMetrics;
import dev.bulwark.recovery.BackupOptions;
import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.ForwardEvent;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.ReplayReport;
import dev.bulwark.recovery.RestoreOptions;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.StoreAndForward;
import dev.bulwark.recovery.StoreAndForwardConfig;
import dev.bulwark.recovery.TableChecksum;
import dev.bulwark.recovery.VerificationReport;
import dev.bulwark.recovery.WriteResult;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.security.SecureRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The canary: a unique password and a unique bind value pushed through Bulwark's adoption paths (wrap, the
 * {@code jdbc:bulwark:} URL, a DAO, units of work in a transaction and in autocommit) and its failures (duplicate
 * key, CHECK violation, a syntax error with the value inlined, a data error, a refused login), store-and-forward
 * (writes buffered in the journal through an outage, then replayed, one of them dead-lettered on a constraint with
 * the value bound) and a backup, verify and restore round trip with the value in the data, with every logger
 * at TRACE. Neither may appear in Bulwark's own output: the log events of {@code dev.bulwark.*} loggers (message
 * and attached exceptions), the top-level messages of the exceptions Bulwark creates (the drivers' exceptions,
 * their causes, keep what the drivers put in them), {@code health()}, the meters, and the events.
 */
class CanaryIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value = "cnryV" + hex();
    private final String password = "cnryP" + hex();
    private final List<String> where = new ArrayList<>();
    private final List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Runnable> restore = new ArrayList<>();
    private Level rootLevelBefore;

    @TempDir
    Path temp;

    private static String hex() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    interface AccountDao {
        @Transactional
        void insert(String id) throws SQLException;
    }

    @BeforeEach
    void everyLoggerAtTrace() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Read before the loop, which sets the root too: read after it, the root would be "restored" to TRACE
        // and every later test class in this JVM would log at TRACE (thousands of lines through surefire's pipe).
        Level rootBefore = root.getLevel();
        rootLevelBefore = rootBefore;
        for (Logger logger : context.getLoggerList()) {
            Level before = logger.getLevel();
            if (before != null) {
                logger.setLevel(Level.TRACE);
                restore.add(() -> logger.setLevel(before));
            }
        }
        root.setLevel(Level.TRACE);
        logs.setContext(context);
        logs.start();
        root.addAppender(logs);
        restore.add(() -> {
            root.detachAppender(logs);
            root.setLevel(rootBefore);
        });
    }

    @AfterEach
    void restoreLogging() {
        Level rootBefore = rootLevelBefore;
        restore.forEach(Runnable::run);
        // A leak here set every later test class in the same JVM to TRACE.
        assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .getLevel()).as("the root logger's level after the test").isEqualTo(rootBefore);
    }

    @Test
    void postgresCanariesStayOutOfBulwarksOutput() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            // the shared server trusts local connections: the password is carried everywhere but not checked
            runAllPaths(db, db.user(), password);
        }
        assertNoCanary(true);
    }

    @Test
    void mariadbCanariesStayOutOfBulwarksOutput() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            String user = "cu_" + hex().substring(0, 10);
            db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                    "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                    "GRANT ALL ON " + db.name() + ".* TO '" + user + "'@'%'",
                    "GRANT ALL ON " + db.name() + ".* TO '" + user + "'@'localhost'");
            try {
                runAllPaths(db, user, password);
                refusedLogin(db, user);
            } finally {
                db.execute("DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
            }
        }
        assertNoCanary(true);
    }

    @Test
    void sqliteCanariesStayOutOfBulwarksOutput() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withConfig(everyStatementSlow()).withListener(this::record)
                    .withListener(new BulwarkMetrics(meters)).build();
            failures(db, ds, "sqlite wrap");
            where.add(ds.health().toJson());
        }
        assertNoCanary(true);
    }

    @Test
    void aFailedRestoreKeepsTheCanaryOutOfItsMessage(@TempDir Path dir) throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL)",
                    "INSERT INTO acct VALUES ('" + value + "', 2)");
            Backups.create(source.dataSource(), dir.resolve("backup"), BackupOptions.defaults());
            // the target's table refuses the row: the COPY fails on the canary's line
            target.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL CHECK (n > 5))");
            thrownBy("restore into a rejecting table", () -> Backups.restore(dir.resolve("backup"),
                    Bulwark.wrap(target.dataSource()), RestoreOptions.defaults()));
            thrownBy("restore into a rejecting table, unwrapped target", () -> Backups.restore(dir.resolve("backup"),
                    target.dataSource(), RestoreOptions.defaults()));
        }
        assertNoCanary(false);
    }

    @Test
    void aBackupVerifyRestoreRoundTripKeepsTheCanaryOutOfItsOutput() throws Exception {
        Path backup = temp.resolve("round-trip");
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL)",
                    "INSERT INTO acct VALUES ('" + value + "', 2), ('plain', 3)");
            BulwarkDataSource from = Bulwark.builder(source.dataSource()).withConfig(everyStatementSlow())
                    .withListener(this::record).withListener(new BulwarkMetrics(meters)).build();
            where.add("backup " + Backups.create(from, backup, BackupOptions.defaults()));
            VerificationReport report = Backups.verify(backup);
            assertThat(report.isIntact()).as(report.toString()).isTrue();
            where.add("verify " + report);

            target.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL)");
            BulwarkDataSource to = Bulwark.builder(target.dataSource()).withConfig(everyStatementSlow())
                    .withListener(this::record).withListener(new BulwarkMetrics(meters)).build();
            List<TableChecksum> restored = Backups.restore(backup, to, RestoreOptions.defaults());
            where.add("restore " + restored);
            try (Connection c = target.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT n FROM acct WHERE id = '" + value + "'")) {
                assertThat(rs.next()).as("the canary row restored").isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            where.add(from.health().toJson());
            where.add(to.health().toJson());
        }
        assertThat(filesHolding(backup, value)).as("the value is in the backup's data files").isNotEmpty();
        assertNoCanary(true);
    }

    /**
     * Store-and-forward through an outage (a proxy refusing connections): a write committed, one thrown on a
     * constraint, three buffered, then replayed, one of them dead-lettered on a duplicate key and one on a CHECK,
     * each with the value bound.
     */
    private void storeAndForward(TestDatabase db, String user, String pw) throws Exception {
        db.execute("CREATE TABLE sf_acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL, CONSTRAINT sf_n_positive CHECK (n > 0))",
                "INSERT INTO sf_acct VALUES ('" + value + "', 1)");
        Path journal = temp.resolve(db.engine() + "-journal");
        try (FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", pw);
            String url = db.jdbcUrlVia(proxy.host(), proxy.port());
            BulwarkConfig config = BulwarkConfig.builder().withName("canary-sf")
                    .withText("bulwark.breaker.enabled", "false")
                    .withText("bulwark.retry.maxAttempts", "2")
                    .withText("bulwark.retry.initialBackoff", "10ms")
                    .withText("bulwark.timeout.acquire", "3s")
                    .withText("bulwark.timeout.total", "10s")
                    .withJdbc(JdbcConfig.builder().withSlowStatementThreshold(Duration.ofNanos(1))
                            .withCreateCommitLedger(true).build())
                    .build();
            BulwarkDataSource ds = Bulwark.builder(new com.zaxxer.hikari.util.DriverDataSource(url, null, props, null, null))
                    .withConfig(config).withListener(this::record).withListener(new BulwarkMetrics(meters)).build();
            StoreAndForwardConfig sf = StoreAndForwardConfig.builder()
                    .withJournal(JournalConfig.builder().withDirectory(journal).build())
                    .withWriteDeadline(Duration.ofSeconds(3))
                    .withReplayBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                    .build();
            String path = db.engine() + " store-and-forward";
            try (StoreAndForward writer = StoreAndForward.builder(ds, sf)
                    .withListener(e -> where.add(path + " event " + e)).open()) {
                String insert = "INSERT INTO sf_acct (id, n) VALUES (?, ?)";
                assertThat(writer.write(SqlWrite.of("sf-ok", insert, value + "-ok", 2)))
                        .isEqualTo(new WriteResult.Committed("sf-ok"));
                thrownBy(path + " duplicate while up", () -> writer.write(SqlWrite.of("sf-dup-up", insert, value, 2)));

                proxy.refuseNewConnections(true);
                proxy.cutAllConnections();
                assertThat(writer.write(SqlWrite.of("sf-1", insert, value + "-b", 3))).isInstanceOf(WriteResult.Buffered.class);
                assertThat(writer.write(SqlWrite.of("sf-2", insert, value, 4))).isInstanceOf(WriteResult.Buffered.class);
                assertThat(writer.write(SqlWrite.of("sf-3", insert, value + "-c", -1))).isInstanceOf(WriteResult.Buffered.class);
                where.add(path + " health during the outage " + writer.health().toJson());
                ReplayReport stopped = writer.drain();
                where.add(path + " drain while down " + stopped);
                assertThat(stopped.remaining()).isEqualTo(3);

                proxy.refuseNewConnections(false);
                ReplayReport report = writer.drain();
                where.add(path + " drain " + report);
                assertThat(report.applied()).as(report.toString()).isEqualTo(1);
                assertThat(report.deadLettered()).as(report.toString()).isEqualTo(2);
                assertThat(report.remaining()).isZero();
                where.add(path + " health after " + writer.health().toJson());
            }
            where.add(ds.health().toJson());
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sf_acct")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the seeded row, the one committed and the one replayed").isEqualTo(3);
        }
    }

    /** The files under {@code dir} whose bytes hold {@code text}. */
    private static List<Path> filesHolding(Path dir, String text) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private void runAllPaths(TestDatabase db, String user, String pw) throws Exception {
        try (HikariDataSource pool = hikari(db, user, pw)) {
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(everyStatementSlow()).withListener(this::record)
                    .withListener(new BulwarkMetrics(meters)).build();
            failures(db, ds, db.engine() + " wrap");

            AccountDao dao = Bulwark.dao(AccountDao.class, id -> insert(ds, "acct", id), ds);
            dao.insert("dao-" + value.substring(0, 8));
            thrownBy(db.engine() + " dao duplicate", () -> {
                dao.insert(value);
                return null;
            });
            where.add(ds.health().toJson());
        }
        storeAndForward(db, user, pw);

        String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
        url += (url.contains("?") ? "&" : "?") + "password=" + pw + "&bulwark.name=canary-url&bulwark.jdbc.slowStatementThreshold=1ms";
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", pw);
        try (Connection c = DriverManager.getConnection(url, props)) {
            thrownBy(db.engine() + " url duplicate", () -> insert(c, "acct", value));
            thrownBy(db.engine() + " url syntax", () -> execute(c, "INSERT INTO acct VALUES '" + value + "'"));
            thrownBy(db.engine() + " url check", () -> insertNegative(c, value));
        }
    }

    /** The failures of units of work, on a table {@code acct} that already holds the value. */
    private void failures(TestDatabase db, BulwarkDataSource ds, String path) throws Exception {
        db.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL DEFAULT 1, "
                + "CONSTRAINT n_positive CHECK (n > 0))");
        ds.inTransaction(c -> {
            insert(c, "acct", value);
            return execute(c, "UPDATE acct SET n = 2 WHERE id = '" + value + "'"); // SQL text with the value inlined
        });
        thrownBy(path + " duplicate", () -> ds.inTransaction(c -> insert(c, "acct", value)));
        thrownBy(path + " check", () -> ds.inTransaction(c -> insertNegative(c, value)));
        thrownBy(path + " syntax", () -> ds.inTransaction(c -> execute(c, "INSERT INTO acct VALUES '" + value + "'")));
        thrownBy(path + " data", () -> ds.inAutoCommit(TransactionOptions.defaults(), c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO acct (id, n) VALUES ('x', CAST(? AS "
                    + (db.engine() == TestDatabase.Engine.MARIADB ? "DECIMAL(5,0)" : "INT") + "))")) {
                p.setString(1, value);
                return p.executeUpdate();
            }
        }));
        thrownBy(path + " autocommit duplicate", () -> {
            try (Connection c = ds.getConnection()) {
                return insert(c, "acct", value);
            }
        });
    }

    private void refusedLogin(TestDatabase db, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(user);
        config.setPassword(password + "-wrong");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(1_000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(everyStatementSlow()).withListener(this::record)
                    .withListener(new BulwarkMetrics(meters)).build();
            thrownBy("refused login", () -> ds.inTransaction(c -> execute(c, "SELECT 1")));
            where.add(ds.health().toJson());
        }
    }

    /** Every statement reported slow: its SQL text goes to the log, and a meter counts it. */
    private static BulwarkConfig everyStatementSlow() {
        return BulwarkConfig.builder().withJdbc(JdbcConfig.builder().withSlowStatementThreshold(Duration.ofNanos(1))
                .build()).build();
    }

    private static HikariDataSource hikari(TestDatabase db, String user, String pw) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(user);
        config.setPassword(pw);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static int insert(DataSource ds, String table, String id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return insert(c, table, id);
        }
    }

    private static int insert(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
            p.setString(1, id);
            return p.executeUpdate();
        }
    }

    private static int insertNegative(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO acct (id, n) VALUES (?, -1)")) {
            p.setString(1, id + "-neg");
            return p.executeUpdate();
        }
    }

    private static int execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** Runs a call that must fail and keeps the messages of every exception Bulwark created on the way. */
    private void thrownBy(String path, Call call) {
        try {
            call.run();
        } catch (Exception e) {
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            collectBulwarks(path, e, seen);
            assertThat(seen).as("%s: an exception Bulwark created", path).isNotEmpty();
            return;
        }
        throw new AssertionError(path + ": expected a failure");
    }

    /** Walks causes, next exceptions and suppressed ones, reading only those created by Bulwark's code. */
    private void collectBulwarks(String path, Throwable t, Set<Throwable> seen) {
        if (t == null || seen.size() > 64) {
            return;
        }
        StackTraceElement[] frames = t.getStackTrace();
        boolean bulwarks = frames.length > 0 && frames[0].getClassName().startsWith("dev.bulwark.");
        if (!bulwarks || !seen.add(t)) {
            return; // a driver's exception: what it says is the driver's business (docs/operations.md)
        }
        where.add(path + " exception " + t.getClass().getName() + ": " + t.getMessage() + " / " + t);
        collectBulwarks(path, t.getCause(), seen);
        if (t instanceof SQLException sql) {
            collectBulwarks(path, sql.getNextException(), seen);
        }
        for (Throwable s : t.getSuppressed()) {
            collectBulwarks(path, s, seen);
        }
    }

    private void record(BulwarkEvent event) {
        events.add(event);
    }

    private void assertNoCanary(boolean withMeters) {
        List<String> out = new ArrayList<>(where);
        int bulwarkLines = 0;
        for (ILoggingEvent e : logs.list) {
            if (e.getLoggerName().startsWith("dev.bulwark")) {
                bulwarkLines++;
                String thrown = e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy());
                out.add("log " + e.getLoggerName() + " " + e.getLevel() + ": " + e.getFormattedMessage() + " " + thrown);
            }
        }
        for (Meter m : meters.getMeters()) {
            out.add("meter " + m.getId());
        }
        for (BulwarkEvent e : events) {
            out.add("event " + e);
        }
        assertThat(bulwarkLines).as("Bulwark logged at TRACE (the capture works)").isPositive();
        if (withMeters) {
            assertThat(meters.getMeters()).as("meters were recorded").isNotEmpty();
        }
        List<String> leaks = out.stream().filter(s -> s.contains(value) || s.contains(password)).toList();
        assertThat(leaks).as("Bulwark output carrying the canary value %s or password %s", value, password).isEmpty();
    }
}
