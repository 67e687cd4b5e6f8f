package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.StoreAndForward;
import dev.bulwark.recovery.StoreAndForwardConfig;
import dev.bulwark.recovery.WriteResult;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The canary test's command-line part (issue 13; it lives here because the top-level integration tests cannot
 * depend on the examples module): a unique password, carried in the JDBC URL since the tests cannot set
 * {@code BULWARK_CLI_PASSWORD} in-process, and a unique value in the data go through {@code classify},
 * {@code doctor}, {@code backup}, {@code verify}, {@code restore} (a successful one and one a CHECK refuses),
 * {@code copy} (a successful one, one a CHECK refuses), {@code journal inspect} and {@code journal drain} (one write dead-lettered on a duplicate key),
 * every logger at TRACE. Neither may appear in the commands' standard output and error, nor in the log events
 * of {@code dev.bulwark.*} loggers. The value may be in the backup's and the journal's files; the password not.
 */
class CliCanaryIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value = "cnryV" + hex();
    private final String password = "cnryP" + hex();
    private final List<String> where = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Runnable> restore = new ArrayList<>();

    @TempDir
    Path tmp;

    private static String hex() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @BeforeEach
    void everyLoggerAtTrace() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : context.getLoggerList()) {
            Level before = logger.getLevel();
            if (before != null) {
                logger.setLevel(Level.TRACE);
                restore.add(() -> logger.setLevel(before));
            }
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootBefore = root.getLevel();
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
        restore.forEach(Runnable::run);
    }

    @Test
    void postgresqlAndMariadbCommandsKeepTheCanariesOut() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres();
             TestDatabase refusing = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb()) {
            String user = "cc_" + hex().substring(0, 10);
            maria.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                    "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                    "GRANT ALL ON " + maria.name() + ".* TO '" + user + "'@'%'",
                    "GRANT ALL ON " + maria.name() + ".* TO '" + user + "'@'localhost'");
            try {
                // the shared PostgreSQL trusts local connections: the password is carried, not checked
                String sourceUrl = withCredentials(source.jdbcUrl(), source.user(), password);
                String targetUrl = withCredentials(target.jdbcUrl(), target.user(), password);
                String mariaUrl = withCredentials(maria.jdbcUrl(), user, password);
                source.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL)",
                        "INSERT INTO acct VALUES ('" + value + "', 2), ('plain', 3)");

                ok("classify", "23505", "--dialect", "postgresql");
                ok("classify", "23000", "1062", "--dialect", "mariadb");
                ok("doctor", sourceUrl);
                ok("doctor", mariaUrl);
                failed("doctor with a wrong password", "doctor", withCredentials(maria.jdbcUrl(), user, password + "x"),
                        "--timeout", "5");

                Path backup = tmp.resolve("backup");
                ok("backup", sourceUrl, backup.toString());
                ok("verify", backup.toString());
                ok("restore", backup.toString(), targetUrl);
                assertThat(rowsWithTheValue(target.connect())).as("restored").isEqualTo(1);

                refusing.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL CHECK (n > 5))");
                String refusingUrl = withCredentials(refusing.jdbcUrl(), refusing.user(), password);
                failed("restore into a rejecting table", "restore", backup.toString(), refusingUrl);
                failed("copy into a rejecting table", "copy", sourceUrl, refusingUrl);
                failed("restore into a non-empty table", "restore", backup.toString(), targetUrl);

                ok("copy", sourceUrl, mariaUrl);
                try (Connection c = java.sql.DriverManager.getConnection(mariaUrl)) {
                    assertThat(rowsWithTheValue(c)).as("copied").isEqualTo(1);
                }
                failed("copy onto the same keys", "copy", sourceUrl, mariaUrl, "--copy-id", "again");

                assertThat(filesHolding(backup, value)).as("the value is in the backup's data").isNotEmpty();
                assertThat(filesHolding(backup, password)).as("backup files holding the password").isEmpty();
            } finally {
                maria.execute("DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
            }
        }
        assertNoCanary();
    }

    @Test
    void journalCommandsKeepTheCanariesOut() throws Exception {
        Path journal = tmp.resolve("outbox");
        // an application's writer whose database (a closed port, the password in its URL) is down
        String down = "jdbc:postgresql://127.0.0.1:" + BackupCommandsIT.closedPort() + "/test?user=app&password="
                + password;
        StoreAndForwardConfig config = StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(journal).build())
                .withWriteDeadline(Duration.ofMillis(500))
                .withCreateLedger(false)
                .build();
        Properties props = new Properties();
        props.setProperty("password", password);
        try (StoreAndForward writer = StoreAndForward.builder(Bulwark.wrap(
                new com.zaxxer.hikari.util.DriverDataSource(down, null, props, null, null)), config).open()) {
            String insert = "INSERT INTO acct (id, n) VALUES (?, ?)";
            assertThat(writer.write(SqlWrite.of("j-1", insert, value, 1))).isInstanceOf(WriteResult.Buffered.class);
            assertThat(writer.write(SqlWrite.of("j-2", insert, value, 2))).isInstanceOf(WriteResult.Buffered.class);
        }
        ok("journal", "inspect", journal.toString());

        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE acct (id VARCHAR(60) PRIMARY KEY, n INT NOT NULL)");
            // the second write repeats the first one's key: dead-lettered at replay, with the value bound
            failed("journal drain with a duplicate", "journal", "drain", journal.toString(), db.jdbcUrl());
            try (Connection c = db.connect()) {
                assertThat(rowsWithTheValue(c)).as("drained").isEqualTo(1);
            }
        }
        ok("journal", "inspect", journal.toString());
        assertThat(filesHolding(tmp, password)).as("journal files holding the password").isEmpty();
        assertNoCanary();
    }

    private static String withCredentials(String url, String user, String pw) {
        return url + (url.contains("?") ? "&" : "?") + "user=" + user + "&password=" + pw;
    }

    private static long rowsWithTheValue(Connection connection) throws Exception {
        try (Connection c = connection; Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM acct WHERE id LIKE 'cnryV%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void ok(String... args) {
        CliRun run = CliRun.of(args);
        record(mask(String.join(" ", args)), run); // the arguments carry the password: the label must not
        assertThat(run.exitCode()).as("%s: %s", args[0], mask(run.out() + run.err())).isZero();
    }

    private void failed(String label, String... args) {
        CliRun run = CliRun.of(args);
        record(label, run);
        assertThat(run.exitCode()).as("%s: %s", label, mask(run.out() + run.err())).isNotZero().isNotEqualTo(2);
        assertThat(run.out() + run.err()).as(label).isNotBlank();
    }

    private void record(String label, CliRun run) {
        where.add(label + " stdout: " + run.out());
        where.add(label + " stderr: " + run.err());
    }

    /** An assertion's description must not itself print the canaries into the build log. */
    private String mask(String s) {
        return s.replace(value, "<value>").replace(password, "<password>");
    }

    private static List<Path> filesHolding(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                            .contains(new String(needle, StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private void assertNoCanary() {
        List<String> out = new ArrayList<>(where);
        int bulwarkLines = 0;
        for (ILoggingEvent e : logs.list) {
            if (e.getLoggerName().startsWith("dev.bulwark")) {
                bulwarkLines++;
                String thrown = e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy());
                out.add("log " + e.getLoggerName() + " " + e.getLevel() + ": " + e.getFormattedMessage() + " " + thrown);
            }
        }
        assertThat(bulwarkLines).as("Bulwark logged at TRACE (the capture works)").isPositive();
        List<String> leaks = out.stream().filter(s -> s.contains(value) || s.contains(password)).map(this::mask).toList();
        assertThat(leaks).as("CLI output or Bulwark logs carrying the canary value or password").isEmpty();
    }
}
