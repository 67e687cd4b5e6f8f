package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Health;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's contract on a real SQLite file, whose outage is the file going away (SQLITE_CANTOPEN): what is
 * committed, thrown, buffered, kept in order, dead-lettered, and what health reports. The breaker is off here,
 * so that a drain right after the file is back is not refused while the breaker waits to half-open.
 */
class StoreAndForwardIT {

    @TempDir
    Path temp;

    private TestDatabase db;
    private Path file;
    private Path away;
    private BulwarkDataSource ds;
    private final List<ForwardEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createTables() throws Exception {
        db = TestDatabases.sqlite();
        db.execute(ForwardFixture.CREATE_TABLE, "CREATE TABLE sf_unique (k VARCHAR(64) PRIMARY KEY)",
                "INSERT INTO sf_unique (k) VALUES ('taken')");
        file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
        away = file.resolveSibling(file.getFileName() + ".away");
        ds = ForwardFixture.bulwark(ForwardFixture.sqliteNoCreate(db.jdbcUrl()), "sf-it", CommitResolution.AUTO, false);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (Files.exists(away)) {
            Files.move(away, file);
        }
        db.close();
    }

    private StoreAndForward open(WriteType<?>... types) throws IOException {
        StoreAndForward.Builder builder = StoreAndForward.builder(ds, ForwardFixture.config(temp.resolve("journal")))
                .withListener(events::add);
        for (WriteType<?> type : types) {
            builder.withType(type);
        }
        return builder.open();
    }

    private void outage() throws IOException {
        Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
    }

    private void recover() throws IOException {
        Files.move(away, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static SqlWrite row(String key, int v) {
        return SqlWrite.of(key, ForwardFixture.INSERT, key, v);
    }

    private List<String> rows() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT k FROM sf_rows ORDER BY rowid"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    @Test
    void commitsWhileHealthyAndReportsARepeatedKeyAsAlreadyApplied() throws Exception {
        try (StoreAndForward writer = open()) {
            assertThat(writer.write(row("a", 1))).isEqualTo(new WriteResult.Committed("a"));
            assertThat(writer.write(row("a", 1))).isEqualTo(new WriteResult.AlreadyApplied("a"));
            assertThat(rows()).containsExactly("a");
            assertThat(writer.backlog().records()).isZero();
        }
    }

    @Test
    void throwsConstraintViolationsAndProgrammingErrorsWithoutBuffering() throws Exception {
        try (StoreAndForward writer = open()) {
            SQLException duplicate = catchThrowableOfType(SQLException.class,
                    () -> writer.write(SqlWrite.of("u1", "INSERT INTO sf_unique (k) VALUES (?)", "taken")));
            assertThat((Throwable) duplicate).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThatThrownBy(() -> writer.write(SqlWrite.of("u2", "INSERT INTO no_such_table VALUES (?)", 1)))
                    .isInstanceOf(SQLException.class);
            assertThat(writer.backlog().records()).isZero();
            // the ledger row of a failed write was rolled back with it: the key can be used again
            assertThat(writer.write(SqlWrite.of("u1", "INSERT INTO sf_unique (k) VALUES (?)", "free")))
                    .isEqualTo(new WriteResult.Committed("u1"));
        }
    }

    @Test
    void buffersDuringAnOutageAndKeepsLaterWritesBehindTheBacklog() throws Exception {
        try (StoreAndForward writer = open()) {
            outage();
            assertThat(writer.write(row("first", 1))).isEqualTo(new WriteResult.Buffered("first", 1));
            recover();
            // the database is back, but "first" waits in the journal: "second" must not overtake it
            assertThat(writer.write(row("second", 2))).isEqualTo(new WriteResult.Buffered("second", 2));
            assertThat(rows()).isEmpty();

            ReplayReport report = writer.drain();

            assertThat(report.applied()).isEqualTo(2);
            assertThat(report.remaining()).isZero();
            assertThat(report.stoppedBy()).isEmpty();
            assertThat(writer.write(row("third", 3))).isEqualTo(new WriteResult.Committed("third"));
            assertThat(rows()).containsExactly("first", "second", "third");
            assertThat(events).filteredOn(ForwardEvent.Buffered.class::isInstance)
                    .extracting(e -> ((ForwardEvent.Buffered) e).cause() == null ? null
                            : ((ForwardEvent.Buffered) e).cause().kind())
                    .containsExactly(FaultKind.CONNECTION, null);
            assertThat(events).anyMatch(e -> e instanceof ForwardEvent.Drained d && d.checkpointed() == 2);
        }
    }

    @Test
    void drainStopsWhileTheDatabaseIsStillDownAndKeepsEveryWrite() throws Exception {
        try (StoreAndForward writer = open()) {
            outage();
            writer.write(row("a", 1));

            ReplayReport report = writer.drain();

            assertThat(report.applied()).isZero();
            assertThat(report.remaining()).isEqualTo(1);
            assertThat(report.stoppedBy()).isPresent();
            assertThat(report.stoppedBy().get().kind().countsTowardBreaker()
                    || report.stoppedBy().get().kind() == FaultKind.REJECTED).isTrue();
        }
    }

    @Test
    void deadLettersAWriteThatFailsAtReplayAndGoesOn() throws Exception {
        try (StoreAndForward writer = open()) {
            outage();
            writer.write(row("d1", 1));
            writer.write(SqlWrite.of("d2", "INSERT INTO sf_unique (k) VALUES (?)", "taken"));
            writer.write(row("d3", 3));
            recover();

            ReplayReport report = writer.drain();

            assertThat(report.applied()).isEqualTo(2);
            assertThat(report.deadLettered()).isEqualTo(1);
            assertThat(rows()).containsExactly("d1", "d3");
            ForwardEvent.DeadLettered dead = events.stream().filter(ForwardEvent.DeadLettered.class::isInstance)
                    .map(ForwardEvent.DeadLettered.class::cast).findFirst().orElseThrow();
            assertThat(dead.sequence()).isEqualTo(2);
            assertThat(dead.idempotencyKey()).isEqualTo("d2");
            assertThat(dead.reason()).startsWith("CONSTRAINT");
            assertThat(dead.file().getFileName().toString()).isEqualTo("00000000000000000002.write");
            assertThat(Files.readString(dead.file().resolveSibling("00000000000000000002.reason.txt")))
                    .startsWith("CONSTRAINT");
            // the dead letter is the journal payload, readable with the same format
            assertThat(dev.bulwark.recovery.internal.forward.WriteFormat.decode(2, Files.readAllBytes(dead.file()))
                    .idempotencyKey()).isEqualTo("d2");
        }
    }

    /** An application write with its own codec: "key;value" in UTF-8. */
    private record Order(String key, int value) {
    }

    private static final WriteCodec<Order> ORDER_CODEC = new WriteCodec<>() {
        @Override
        public byte[] encode(Order order) {
            return (order.key() + ";" + order.value()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Order decode(byte[] bytes) throws IOException {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split(";");
            if (parts.length != 2) {
                throw new IOException("not an order");
            }
            return new Order(parts[0], Integer.parseInt(parts[1]));
        }
    };

    private static final WriteType<Order> ORDERS = WriteType.of("order", ORDER_CODEC, (c, order) -> {
        try (PreparedStatement s = c.prepareStatement(ForwardFixture.INSERT)) {
            s.setString(1, order.key());
            s.setInt(2, order.value());
            s.executeUpdate();
        }
    });

    @Test
    void replaysTypedWritesThroughTheirCodecAfterAReopen() throws Exception {
        try (StoreAndForward writer = open(ORDERS)) {
            assertThat(writer.write(ORDERS, "o-1", new Order("o-1", 1))).isEqualTo(new WriteResult.Committed("o-1"));
            outage();
            assertThat(writer.write(ORDERS, "o-2", new Order("o-2", 2))).isEqualTo(new WriteResult.Buffered("o-2", 1));
        }
        recover();
        try (StoreAndForward unaware = open()) {
            UnreadableWriteException e = catchThrowableOfType(UnreadableWriteException.class, unaware::drain);
            assertThat(e.sequence()).isEqualTo(1);
            assertThat(e).hasMessageContaining("journal sequence 1").hasMessageContaining("'order' is not registered");
            assertThat(unaware.backlog().records()).as("nothing discarded").isEqualTo(1);
            assertThatThrownBy(() -> unaware.write(ORDERS, "o-3", new Order("o-3", 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
        }
        try (StoreAndForward writer = open(ORDERS)) {
            assertThat(writer.drain().applied()).isEqualTo(1);
        }
        assertThat(rows()).containsExactly("o-1", "o-2");
    }

    @Test
    void reportsTheBacklogAsAJournalHealthComponent() throws Exception {
        try (StoreAndForward writer = open()) {
            outage();
            writer.write(row("h1", 1));
            writer.write(row("h2", 2));

            Health down = writer.health();
            assertThat(down.status()).isEqualTo(Health.Status.DOWN);
            Health.Component journal = down.components().get("journal");
            assertThat(journal.status()).isEqualTo(Health.Status.DEGRADED);
            assertThat(journal.details()).containsEntry("backlogRecords", 2L).containsEntry("checkpointed", 0L)
                    .containsEntry("replaying", false).containsKey("oldestAgeMs").containsKey("backlogBytes");
            assertThat(down.components()).containsKeys("breaker", "connectivity", "journal");

            recover();
            writer.drain();
            Health up = writer.health();
            assertThat(up.components().get("journal").status()).isEqualTo(Health.Status.UP);
            assertThat(up.components().get("journal").details()).containsEntry("backlogRecords", 0L);
            assertThat(up.toJson()).contains("\"journal\":{\"status\":\"UP\"");
        }
    }
}
