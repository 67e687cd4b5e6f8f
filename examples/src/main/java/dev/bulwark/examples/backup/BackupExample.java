package dev.bulwark.examples.backup;

import dev.bulwark.recovery.Backup;
import dev.bulwark.recovery.BackupOptions;
import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.RestoreOptions;
import dev.bulwark.recovery.TableChecksum;
import dev.bulwark.recovery.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteDataSource;

/**
 * A backup, verify and restore round trip.
 *
 * <p>{@code Backups.create} writes a consistent backup with a manifest of SHA-256 digests and per-table
 * checksums; {@code Backups.verify} recomputes them; {@code Backups.restore} verifies again, loads the tables in
 * one transaction and compares each table's checksum with the backup's before committing. The same steps are
 * {@code bulwark backup}, {@code bulwark verify} and {@code bulwark restore} on the command line.
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.backup.BackupExample
 * </pre>
 *
 * Stateless; {@link #run} uses only the directory it is given.
 */
public final class BackupExample {

    /**
     * What the round trip produced.
     *
     * @param backup   the backup written
     * @param verified the verification of the backup's files
     * @param restored the checksums of the restored tables (equal to the backup's)
     */
    public record Outcome(Backup backup, VerificationReport verified, List<TableChecksum> restored) {
    }

    private BackupExample() {
    }

    /** Runs the round trip in a temporary directory. */
    public static void main(String[] args) throws Exception {
        Outcome o = run(Files.createTempDirectory("bulwark-backup"));
        System.out.println("backup " + o.backup().directory() + ": " + o.verified());
        o.restored().forEach(t -> System.out.println("restored " + t));
    }

    /**
     * Creates a SQLite database with two tables, backs it up into {@code directory/backup}, verifies the
     * backup and restores it into a new database file.
     *
     * @throws SQLException if a database fails, or the restore does not match the backup
     * @throws IOException  if a file cannot be written or read
     */
    public static Outcome run(Path directory) throws SQLException, IOException {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + directory.resolve("shop.db"));
        try (var c = source.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer (id),"
                    + " total DECIMAL(10,2) NOT NULL)");
            s.execute("INSERT INTO customer VALUES (1, 'Ada'), (2, 'Grace')");
            s.execute("INSERT INTO orders VALUES (10, 1, 9.90), (11, 2, 12.50), (12, 2, 3.00)");
        }
        Backup backup = Backups.create(source, directory.resolve("backup"), BackupOptions.defaults());
        VerificationReport verified = Backups.verify(backup.directory());
        if (!verified.isIntact()) {
            throw new IOException("the new backup does not verify: " + verified);
        }
        SQLiteDataSource target = new SQLiteDataSource();
        target.setUrl("jdbc:sqlite:" + directory.resolve("restored.db"));
        List<TableChecksum> restored = Backups.restore(backup.directory(), target, RestoreOptions.defaults());
        return new Outcome(backup, verified, restored);
    }
}
