package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.PostgresCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server identity (system identifier, postmaster start, backend pid) is cached per physical client
 * connection. Behind a pooler in transaction mode (PgBouncer) one client connection outlives a server restart:
 * the cached postmaster start is then that of the server's previous life, every xid looks like it belongs to a
 * restarted server, and a COMMIT still in progress (a deferred trigger) is answered "the server restarted and the
 * xid now belongs to a later transaction": NOT_COMMITTED, the unit runs again, and both runs commit.
 */
class PoolerStaleIdentityIT {

    private static final Path PGBOUNCER = Paths.get("/usr/sbin/pgbouncer");

    @Test
    void aCommitInProgressBehindAPoolerAfterAServerRestartIsNotRunTwice() throws Exception {
        if (!Files.isExecutable(PGBOUNCER) && Boolean.getBoolean("bulwark.test.requireDatabases")) {
            throw new AssertionError("pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)");
        }
        assumeTrue(Files.isExecutable(PGBOUNCER), "pgbouncer is not installed (apt-get install pgbouncer)");
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE applied (id INT NOT NULL)");
                s.execute("CREATE FUNCTION slow_check() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$");
                s.execute("CREATE CONSTRAINT TRIGGER slow_at_commit AFTER INSERT ON applied DEFERRABLE INITIALLY"
                        + " DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_check()");
            }
            Path dir = Files.createTempDirectory("pgbouncer");
            int port = freePort();
            Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    "postgres = host=127.0.0.1 port=" + cluster.port() + " dbname=postgres",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("users.txt"),
                    "pool_mode = transaction",
                    "server_reset_query =",
                    "ignore_startup_parameters = extra_float_digits,options",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    ""));
            new ProcessBuilder("chmod", "-R", "a+rwx", dir.toString()).start().waitFor();
            boolean root = "root".equals(System.getProperty("user.name"));
            ProcessBuilder pb = root
                    ? new ProcessBuilder("runuser", "-u", "postgres", "--", PGBOUNCER.toString(), dir.resolve("pgbouncer.ini").toString())
                    : new ProcessBuilder(PGBOUNCER.toString(), dir.resolve("pgbouncer.ini").toString());
            Process bouncer = pb.redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
            try {
                awaitListening(port);
                runScenario(cluster, port);
            } finally {
                bouncer.destroy();
                bouncer.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void runScenario(PostgresCluster cluster, int bouncerPort) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", bouncerPort)) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl("jdbc:postgresql://" + proxy.host() + ":" + proxy.port()
                    + "/postgres?prepareThreshold=0&sslmode=disable");
            hc.setUsername("postgres");
            hc.setPassword("");
            hc.setMaximumPoolSize(1); // the second unit runs on the physical connection the first one used
            hc.setMinimumIdle(1);
            hc.setValidationTimeout(250);
            try (HikariDataSource pool = new HikariDataSource(hc)) {
                BulwarkDataSource ds = Bulwark.builder(pool).withConfig(BulwarkConfig.builder().withJdbc(
                        JdbcConfig.builder().withCommitResolution(CommitResolution.TRANSACTION_ID).build()).build())
                        .build();
                // First commit on this client connection: the server identity is read and cached.
                int one = ds.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TEMP TABLE IF NOT EXISTS scratch (x INT) ON COMMIT DROP");
                    }
                    return 1;
                });
                assertThat(one).isEqualTo(1);

                cluster.restart(); // PgBouncer reconnects to the server; the client connection to it stays open

                proxy.cutOnCommit(1);
                AtomicInteger runs = new AtomicInteger();
                int result = ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(20)).build(),
                        c -> {
                            runs.incrementAndGet();
                            try (Statement s = c.createStatement()) {
                                s.executeUpdate("INSERT INTO applied VALUES (1)");
                            }
                            return 7;
                        });
                assertThat(result).isEqualTo(7);
                assertThat(proxy.stats().commitsCut()).isEqualTo(1);
                Thread.sleep(3_000); // let a commit still in progress land
                try (Connection c = cluster.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("one unit, reported committed once, ran %s times", runs.get())
                            .isEqualTo(1);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("pgbouncer did not start");
    }
}
