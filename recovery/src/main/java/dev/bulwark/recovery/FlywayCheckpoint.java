package dev.bulwark.recovery;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.internal.ManifestFiles;
import dev.bulwark.recovery.internal.SchemaRewind;
import dev.bulwark.recovery.internal.SqlDialect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Flyway migration behind a checkpoint on databases without transactional DDL (MariaDB/MySQL):
 * the schema's tables are backed up first, and if the migration fails half-way, the schema is put back
 * as it was before {@code migrate} (tables the migration created are dropped, changed ones recreated,
 * every table's rows restored and checked) and the error says so.
 *
 * <pre>{@code
 * Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
 * FlywayCheckpoint checkpoint = FlywayCheckpoint.builder(Path.of("/var/lib/app/migration-checkpoints")).build();
 * MigrateResult result = checkpoint.migrate(flyway);
 * }</pre>
 *
 * <p>On PostgreSQL and SQLite Flyway runs each migration in a transaction that rolls back DDL too, so no
 * checkpoint is taken unless {@link Builder#withCheckpointOnTransactionalDdl(boolean)} asks for one.
 * Needs flyway-core (an optional dependency of bulwark-recovery) and Flyway's module for the database.
 * Thread-safe; run one migration of a schema at a time (Flyway locks its history table anyway).
 */
public final class FlywayCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FlywayCheckpoint.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path root;
    private final int keepLast;
    private final boolean always;

    private FlywayCheckpoint(Builder builder) {
        this.root = builder.root.toAbsolutePath().normalize();
        this.keepLast = builder.keepLast;
        this.always = builder.always;
    }

    /** A builder keeping checkpoints in directories under {@code root} (created if missing). */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * Takes a checkpoint of the schema (when the database needs one), runs {@code flyway.migrate()}, and on
     * failure restores the checkpoint.
     *
     * @return Flyway's result of a successful migration
     * @throws RecoveryException when the migration failed: the message says whether the schema was restored
     *                           from the checkpoint (naming its directory) or why that failed too; the
     *                           cause is Flyway's exception. 0A000 when Flyway works on other schemas than
     *                           the data source's current one (nothing is run then)
     * @throws org.flywaydb.core.api.FlywayException unchanged when no checkpoint was taken
     * @throws SQLException if the checkpoint cannot be taken (the migration is not run)
     * @throws IOException  if writing the checkpoint fails (likewise)
     */
    public MigrateResult migrate(Flyway flyway) throws SQLException, IOException {
        Objects.requireNonNull(flyway, "flyway");
        DataSource dataSource = flyway.getConfiguration().getDataSource();
        Objects.requireNonNull(dataSource, "flyway has no DataSource configured");
        boolean needed;
        try (Connection connection = dataSource.getConnection()) {
            Dialect dialect = Dialect.fromMetaData(connection.getMetaData());
            needed = always || dialect == Dialect.MYSQL;
            if (needed) {
                checkSchemas(flyway, connection, dialect);
            }
        }
        if (!needed) {
            return flyway.migrate();
        }
        Files.createDirectories(root);
        Path checkpoint = root.resolve("checkpoint-" + STAMP.format(Instant.now()));
        Backup backup = Backups.create(dataSource, checkpoint, BackupOptions.defaults());
        LOG.info("checkpoint of {} tables before migrating written to {}", backup.tables().size(), checkpoint);
        RuntimeException failure;
        try {
            MigrateResult result = flyway.migrate();
            if (result.success) {
                Backups.prune(root, Retention.keepLast(keepLast));
                return result;
            }
            failure = new IllegalStateException("Flyway reported an unsuccessful migration: " + result.warnings);
        } catch (RuntimeException e) {
            failure = e;
        }
        throw restore(dataSource, checkpoint, failure);
    }

    private RecoveryException restore(DataSource dataSource, Path checkpoint, RuntimeException failure) {
        try (Connection connection = dataSource.getConnection()) {
            // Not refused when emptying reaches outside (triggers, other schemas' foreign keys): the schema is rewound
            // whole, its other tables dropped, and a refusal here would leave it half-migrated.
            List<TableChecksum> sums = SchemaRewind.restore(checkpoint, ManifestFiles.read(checkpoint), connection, true,
                    null);
            return new RecoveryException("the migration failed and the schema was restored from checkpoint " + checkpoint
                    + " (" + sums.size() + " tables, checksums verified); Flyway said: " + failure.getMessage(),
                    RecoveryException.WRONG_STATE, failure);
        } catch (SQLException | IOException | RuntimeException e) {
            RecoveryException both = new RecoveryException("the migration failed, and restoring the schema from"
                    + " checkpoint " + checkpoint + " failed too (" + e.getMessage() + "): the schema may be half-migrated;"
                    + " restore it with Backups.restore from that directory; Flyway said: " + failure.getMessage(),
                    RecoveryException.WRONG_STATE, failure);
            both.addSuppressed(e);
            return both;
        }
    }

    /** Backups cover the connection's current schema only: Flyway must work on that one. */
    private static void checkSchemas(Flyway flyway, Connection connection, Dialect dialect) throws SQLException {
        String[] schemas = flyway.getConfiguration().getSchemas();
        String current = null;
        if (dialect == Dialect.MYSQL || dialect == Dialect.POSTGRESQL) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(dialect == Dialect.MYSQL ? "SELECT DATABASE()" : "SELECT current_schema()")) {
                current = rs.next() ? rs.getString(1) : null;
            }
        }
        for (String schema : schemas) {
            if (!schema.equals(current)) {
                throw new RecoveryException("Flyway is configured for schema " + SqlDialect.printable(schema)
                        + " but checkpoints cover the data source's current schema "
                        + (current == null ? "(none)" : SqlDialect.printable(current)) + " only; nothing was migrated",
                        RecoveryException.NOT_SUPPORTED);
            }
        }
    }

    @Override
    public String toString() {
        return "FlywayCheckpoint[" + root + ", keep last " + keepLast + (always ? ", always" : "") + "]";
    }

    /** Builds a {@link FlywayCheckpoint}; each method checks its input at once. Not thread-safe. */
    public static final class Builder {

        private final Path root;
        private int keepLast = 3;
        private boolean always;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * Keeps the newest {@code count} checkpoints under the root (default 3): older ones, those of failed
         * migrations included, are deleted after each successful migration.
         *
         * @throws IllegalArgumentException unless 1 &lt;= count &lt;= 1000
         */
        public Builder withKeepLast(int count) {
            if (count < 1 || count > 1000) {
                throw new IllegalArgumentException("keepLast: must be between 1 and 1000, got " + count);
            }
            this.keepLast = count;
            return this;
        }

        /** Takes a checkpoint on PostgreSQL and SQLite too (default false: their DDL rolls back with the migration). */
        public Builder withCheckpointOnTransactionalDdl(boolean value) {
            this.always = value;
            return this;
        }

        /** The checkpointing migrator. */
        public FlywayCheckpoint build() {
            return new FlywayCheckpoint(this);
        }
    }
}
