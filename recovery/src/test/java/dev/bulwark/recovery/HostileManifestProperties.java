package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Generated rewrites of a real SQLite backup's manifest (with its SHA-256 rewritten to match): whatever the
 * rewrite, restore either refuses with a {@link RecoveryException} or restores exactly the backed-up rows;
 * it never creates or reads a file outside the backup, and a refused restore leaves the target without
 * the table.
 */
class HostileManifestProperties {

    private static final String ROWS = "1, 2, 3";

    @Property(tries = 40)
    void aRewrittenManifestIsRefusedOrRestoresExactlyTheBackup(@ForAll("rewrites") Tuple.Tuple2<String, String> rewrite)
            throws Exception {
        Path root = Files.createTempDirectory("bulwark-hostile-");
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.copy"), "42\n");
        try (TestDatabase source = TestDatabases.sqlite(root); TestDatabase target = TestDatabases.sqlite(root)) {
            source.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (" + ROWS.replace(", ", "), (") + ")");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            String field = rewrite.get1();
            String value = rewrite.get2().replace("OUTSIDE", outside.toString());
            HostileManifestIT.rewrite(backup.directory(), json -> json.replaceFirst(
                    "\"" + field + "\": \"[^\"]*\"", Matcher.quoteReplacement("\"" + field + "\": \"" + escape(value) + "\"")));
            List<Path> before = listing(root);

            Throwable failure = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults()));

            if (failure != null) {
                assertThat(failure).as(field + "=" + value).isInstanceOf(RecoveryException.class);
                assertThat(tableExists(target)).as("a refused restore leaves no table").isFalse();
            } else {
                assertThat(TableChecksum.compute(target.dataSource(), "t")).isEqualTo(backup.checksumOf("t"));
            }
            assertThat(listing(root)).as("no file created outside the backup").isEqualTo(before);
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static boolean tableExists(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); ResultSet rs = c.getMetaData().getTables(null, null, "t", null)) {
            return rs.next();
        }
    }

    private static List<Path> listing(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.getFileName().toString().endsWith(".db")
                    && !p.getFileName().toString().contains(".db-")).sorted().toList();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> rewrites() {
        Arbitrary<String> paths = Arbitraries.of("OUTSIDE/secret.copy", "OUTSIDE/created.sqlite", "../outside/secret.copy",
                "../outside/new.sqlite", "data/../../outside/x", "/etc/passwd", "/dev/zero", ".", "", "manifest.json",
                "database.sqlite/..", "./database.sqlite", "database.sqlite\u0000x", "DATABASE.SQLITE", "database.sqlite ");
        Arbitrary<String> types = Arbitraries.of("INTEGER CHECK (abs(-9223372036854775808))", "INTEGER DEFAULT (random())",
                "INTEGER REFERENCES x ON DELETE CASCADE", "INTEGER GENERATED ALWAYS AS (1/0) VIRTUAL",
                "INTEGER); CREATE TABLE pwned (x", "INTEGER COLLATE NOCASE", "INTEGER UNIQUE", "INTEGER --", "BLOB",
                "INTEGER", "TEXT");
        Arbitrary<String> digests = Arbitraries.strings().withChars("0123456789abcdefXYZ/. ").ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> formats = Arbitraries.of("copy-text", "sqlite-database", "../x", "");
        Arbitrary<String> dialects = Arbitraries.of("POSTGRESQL", "MYSQL", "SQLITE", "H2", "sqlite");
        return Arbitraries.oneOf(
                paths.map(p -> Tuple.of("file", p)),
                paths.map(p -> Tuple.of("path", p)),
                types.map(t -> Tuple.of("type", t)),
                digests.map(d -> Tuple.of("sha256", d)),
                formats.map(f -> Tuple.of("format", f)),
                dialects.map(d -> Tuple.of("dialect", d)));
    }
}
