package dev.bulwark.examples.storeforward;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.recovery.ForwardEvent;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.StoreAndForward;
import dev.bulwark.recovery.StoreAndForwardConfig;
import dev.bulwark.recovery.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteDataSource;

/**
 * Store-and-forward through an outage.
 *
 * <p>The database is a SQLite file opened in {@code mode=rw} (never created). The example writes orders; then
 * the file is moved away, as when its volume is unmounted, and connecting fails with {@code SQLITE_CANTOPEN}
 * (a connection fault): the writes are appended to a local journal and the caller gets
 * {@link WriteResult.Buffered}. When the file is back, the replay thread applies the buffered writes in order,
 * exactly once (each carries an idempotency key recorded in the commit ledger).
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.storeforward.StoreAndForwardExample
 * </pre>
 *
 * Stateless; {@link #run} uses only the directory it is given.
 */
public final class StoreAndForwardExample {

    /**
     * What happened.
     *
     * @param results     each write's result, in order: committed before the outage, buffered during it
     * @param rowsAtEnd   orders in the database after the replay
     * @param backlogAtEnd records left in the journal after the replay
     */
    public record Outcome(List<WriteResult> results, long rowsAtEnd, long backlogAtEnd) {
    }

    private StoreAndForwardExample() {
    }

    /** Runs the example in a temporary directory. */
    public static void main(String[] args) throws Exception {
        Outcome outcome = run(Files.createTempDirectory("bulwark-forward"));
        outcome.results().forEach(r -> System.out.println("  " + r));
        System.out.println("orders in the database: " + outcome.rowsAtEnd() + ", journal backlog: " + outcome.backlogAtEnd());
    }

    /**
     * Writes two orders, takes the database file away, writes three more (buffered), puts the file back and
     * waits (at most 30 s) for the writer's {@link ForwardEvent.Drained} event.
     *
     * @throws SQLException if a write fails permanently
     * @throws IOException          if the journal fails, or the replay does not finish in time
     * @throws InterruptedException if interrupted while waiting for the replay
     */
    public static Outcome run(Path directory) throws SQLException, IOException, InterruptedException {
        Path file = directory.resolve("shop.db");
        Path away = directory.resolve("shop.db.unmounted");
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);   // create the file and the table once
        try (var c = sqlite.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
        }
        sqlite.setUrl("jdbc:sqlite:file:" + file + "?mode=rw");   // from now on: open, never create
        BulwarkDataSource db = Bulwark.wrap(sqlite);
        StoreAndForwardConfig config = StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(directory.resolve("outbox")).build())
                .withWriteDeadline(Duration.ofSeconds(1))
                .withReplayBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        List<WriteResult> results = new ArrayList<>();
        CountDownLatch drained = new CountDownLatch(1);
        try (StoreAndForward writer = StoreAndForward.builder(db, config)
                .withListener(event -> {
                    if (event instanceof ForwardEvent.Drained) {
                        drained.countDown();                       // every buffered write is applied
                    }
                })
                .open()) {
            results.add(writer.write(order(1)));
            results.add(writer.write(order(2)));
            Files.move(file, away);                                // the outage
            for (int id = 3; id <= 5; id++) {
                results.add(writer.write(order(id)));            // buffered, durable on local disk
            }
            Files.move(away, file);                                // the database is back
            writer.start();                                        // the replay thread drains the journal
            if (!drained.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the journal did not drain within 30 s: " + writer.backlog());
            }
            long rows = db.inTransaction(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM orders")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            return new Outcome(results, rows, writer.backlog().records());
        }
    }

    private static SqlWrite order(int id) {
        return SqlWrite.of("order-" + id, "INSERT INTO orders (id, item) VALUES (?, ?)", id, "item " + id);
    }
}
