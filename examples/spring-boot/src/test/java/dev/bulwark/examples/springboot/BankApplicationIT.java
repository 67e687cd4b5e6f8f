package dev.bulwark.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application under real faults: PostgreSQL behind the test kit's FaultProxy while four clients make
 * transfers; sessions are killed, COMMITs are cut after they reach the server, and the database becomes
 * unreachable for a while. Afterwards: the total balance never changed, every acknowledged transfer is recorded
 * exactly once, every transfer reported failed (not 08007) is absent; {@code /actuator/health} was DOWN during
 * the outage and UP after it, and Bulwark's meters counted what happened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BankApplicationIT {

    private static final int ACCOUNTS = BankApplication.ACCOUNTS;
    private static final long OPENING_BALANCE = BankApplication.OPENING_BALANCE;
    private static final String APP = "bank-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private static final String PASSWORD = "canary-" + UUID.randomUUID();
    private static TestDatabase db;
    private static FaultProxy proxy;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        db = TestDatabases.postgres();
        proxy = FaultProxy.start(db.host(), db.port());
        registry.add("spring.datasource.url", () -> db.jdbcUrlVia(proxy.host(), proxy.port()) + "&ApplicationName=" + APP);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", () -> PASSWORD); // trust authentication: a canary, never shown
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
        registry.add("bulwark.timeout.total", () -> "5s");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    TransferService transfers;
    @Autowired
    AccountRepository accounts;
    @Autowired
    MeterRegistry meters;

    private final Map<UUID, String> outcomes = new ConcurrentHashMap<>(); // id -> ok | unknown | failed

    @Test
    void theBankKeepsItsInvariantThroughKillsCommitCutsAndAnOutage() throws Exception {
        assertThat(accounts.totalBalance()).as("opened at start-up").isEqualTo(ACCOUNTS * OPENING_BALANCE);
        assertThat(health().statusCode()).isEqualTo(200);

        List<String> phases = new java.util.ArrayList<>();
        long t = System.nanoTime();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            clients.submit(() -> {
                while (running.get()) {
                    transferOnce();
                }
            });
        }
        try {
            // 1. sessions killed by the server, several times
            for (int round = 0; round < 6; round++) {
                Thread.sleep(400);
                killSessions();
            }
            phases.add("kills=" + (System.nanoTime() - t) / 1_000_000 + "ms");
            // 2. COMMITs cut after the server received them: the acknowledgement is lost, the outcome resolved
            proxy.cutCommits(0.3);
            Thread.sleep(2_500);
            proxy.stopCuttingCommits();
            phases.add("cuts=" + (System.nanoTime() - t) / 1_000_000 + "ms");
            // 3. an outage: the database is unreachable
            proxy.refuseNewConnections(true);
            proxy.cutAllConnections();
            HttpResponse<String> down = awaitHealth(503);
            phases.add("down=" + (System.nanoTime() - t) / 1_000_000 + "ms");
            assertThat(down.statusCode()).as("health during the outage: %s", down.body()).isEqualTo(503);
            assertThat(down.body()).contains("\"bulwark\":{\"status\":\"DOWN\"").doesNotContain(PASSWORD);
            Thread.sleep(1_000);
            // 4. the database returns; traffic closes the breaker again
            proxy.refuseNewConnections(false);
            proxy.clearFaults();
            phases.add("restore=" + (System.nanoTime() - t) / 1_000_000 + "ms");
            HttpResponse<String> up = awaitHealth(200);
            phases.add("up=" + (System.nanoTime() - t) / 1_000_000 + "ms");
            assertThat(up.statusCode()).as("health after the outage: %s", up.body()).isEqualTo(200);
            assertThat(up.body()).contains("\"bulwark\":{\"status\":\"UP\"").doesNotContain(PASSWORD);
            Thread.sleep(500);
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            phases.add("stopped=" + (System.nanoTime() - t) / 1_000_000 + "ms");
        }

        System.out.printf("BankApplicationIT: %s transfers: %d ok, %d unknown (08007), %d failed; phases %s%n",
                outcomes.size(), outcomes.values().stream().filter("ok"::equals).count(),
                outcomes.values().stream().filter("unknown"::equals).count(),
                outcomes.values().stream().filter("failed"::equals).count(), phases);
        // the invariant, and every outcome against the database
        assertThat(accounts.totalBalance()).isEqualTo(ACCOUNTS * OPENING_BALANCE);
        long ok = outcomes.values().stream().filter("ok"::equals).count();
        assertThat(ok).as("acknowledged transfers").isGreaterThan(20);
        assertThat(outcomes.values()).as("some transfers failed during the outage").contains("failed");
        for (Map.Entry<UUID, String> e : outcomes.entrySet()) {
            int recorded = accounts.timesRecorded(e.getKey());
            switch (e.getValue()) {
                case "ok" -> assertThat(recorded).as("acknowledged %s", e.getKey()).isEqualTo(1);
                case "failed" -> assertThat(recorded).as("reported failed %s", e.getKey()).isZero();
                default -> assertThat(recorded).as("unknown (08007) %s", e.getKey()).isBetween(0, 1);
            }
        }

        // Bulwark's meters, in the application's registry and on /actuator/metrics
        // (every meter exists at zero from the start: what counts is that these counted something)
        assertThat(total("bulwark.retries")).isPositive();
        assertThat(total("bulwark.evictions")).isPositive();
        // COMMITs were cut after reaching the server, and their outcomes were resolved, not guessed
        assertThat(total("bulwark.commits.resolved")).isPositive();
        assertThat(meters.find("bulwark.breaker.state").tag("source", "dataSource").gauge()).isNotNull();
        assertThat(get("/actuator/metrics/bulwark.retries").body()).contains("\"name\":\"bulwark.retries\"");
        assertThat(get("/actuator/metrics").body()).contains("bulwark.breaker.state", "bulwark.evictions");
    }

    private double total(String counter) {
        return meters.find(counter).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private void transferOnce() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(1, ACCOUNTS + 1);
        int to = from % ACCOUNTS + 1;
        UUID id = UUID.randomUUID();
        try {
            transfers.transfer(id, from, to, random.nextInt(1, 6));
            outcomes.put(id, "ok");
        } catch (RuntimeException e) {
            outcomes.put(id, hasSqlState(e, "08007") ? "unknown" : "failed");
            pause(); // a client that was refused waits a little, as a real one would, instead of spinning
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void killSessions() throws SQLException {
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + APP + "'");
        }
    }

    private HttpResponse<String> awaitHealth(int wanted) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // a bound on waiting, not a claim
        HttpResponse<String> last = health();
        while (last.statusCode() != wanted && System.nanoTime() < until) {
            Thread.sleep(200);
            last = health();
        }
        return last;
    }

    private HttpResponse<String> health() throws Exception {
        return get("/actuator/health");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
