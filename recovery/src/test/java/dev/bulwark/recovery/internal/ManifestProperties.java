package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generated hostile manifests: paths, digests and column types an attacker could write. */
class ManifestProperties {

    private static final String SHA = "a".repeat(64);

    private static Manifest manifest(String tableFile, String listedPath, String sha, String type) {
        TableDefinition definition = new TableDefinition("t", List.of(new TableDefinition.Column("id", type, false)),
                List.of("id"), List.of());
        return new Manifest(1, "x", Instant.EPOCH, "jdbc:postgresql://h/db", Dialect.POSTGRESQL, Manifest.COPY_TEXT,
                List.of(new Manifest.TableEntry(definition, 1, SHA, tableFile)),
                List.of(new Manifest.FileEntry(listedPath, sha, 1)));
    }

    @Property
    void aPathThatLeavesTheBackupIsRefusedNamingTheField(@ForAll("escapingPaths") String path) {
        String json = manifest(path, path, SHA, "integer").toJson();
        assertThatThrownBy(() -> Manifest.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("files[0].path");
        String unlisted = manifest(path, "data/table-0001.copy", SHA, "integer").toJson();
        assertThatThrownBy(() -> Manifest.fromJson(unlisted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tables[0].file");
    }

    @Property
    void aDataFileNotListedWithADigestIsRefused(@ForAll("plainPaths") String path) {
        String json = manifest(path, path + "x", SHA, "integer").toJson();
        assertThatThrownBy(() -> Manifest.fromJson(json)).hasMessageContaining("tables[0].file")
                .hasMessageContaining("not listed in files[]");
    }

    @Property
    void aMalformedDigestIsRefused(@ForAll("badDigests") String sha) {
        String json = manifest("data/a.copy", "data/a.copy", sha, "integer").toJson();
        assertThatThrownBy(() -> Manifest.fromJson(json)).hasMessageContaining("files[0].sha256");
    }

    @Property
    void plainPathsAndDigestsAreRead(@ForAll("plainPaths") String path) {
        assertThat(Manifest.fromJson(manifest(path, path, SHA, "integer").toJson()).tables().get(0).file()).isEqualTo(path);
    }

    @Property
    void aTypeWithAClauseAfterItIsNeverSafe(@ForAll("catalogTypes") String type, @ForAll("clauses") String clause) {
        assertThat(ColumnType.isSafe(type)).as(type).isTrue();
        assertThat(ColumnType.isSafe(type + " " + clause)).as(type + " " + clause).isFalse();
    }

    @Property
    void aTypeWithAnyCharacterOutsideTheGrammarIsNeverSafe(@ForAll("catalogTypes") String type,
                                                            @ForAll("foreignCharacters") char c,
                                                            @ForAll("positions") double where) {
        int at = (int) (where * type.length());
        String mutated = type.substring(0, at) + c + type.substring(at);
        assertThat(ColumnType.isSafe(mutated)).as(mutated).isFalse();
    }

    @Provide
    Arbitrary<String> escapingPaths() {
        Arbitrary<String> name = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        return Arbitraries.oneOf(
                name.map(n -> "/" + n),
                name.map(n -> "../" + n),
                name.map(n -> "data/../../" + n),
                name.map(n -> "./" + n),
                name.map(n -> "data\\..\\" + n),
                name.map(n -> n + "/../../etc/passwd"),
                name.map(n -> "." + n),
                name.map(n -> n + "//x"),
                name.map(n -> n + "/"),
                Arbitraries.of("", ".", "..", "manifest.json", "manifest.sha256", "manifest.hmac", "a/b/c/d/e"),
                name.map(n -> "C:\\" + n),
                name.map(n -> n + "\u0000.copy"));
    }

    @Provide
    Arbitrary<String> plainPaths() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcXYZ019_-.").ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.startsWith(".") && !s.startsWith("-"));
        return Combinators.combine(segment, segment).as((a, b) -> "data/" + a + "/" + b);
    }

    @Provide
    Arbitrary<String> badDigests() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(0).ofMaxLength(63),
                Arbitraries.strings().withChars("0123456789ABCDEFg ").ofLength(64).filter(s -> !s.matches("[0-9a-f]{64}")));
    }

    @Provide
    Arbitrary<String> catalogTypes() {
        return Arbitraries.of("integer", "bigint", "text", "character varying(20)", "numeric(12,2)", "double precision",
                "timestamp(3) without time zone", "timestamp with time zone", "time(6) with time zone", "integer[]",
                "text[][]", "bit varying(5)", "\"char\"", "public.mood", "interval", "boolean", "bytea", "uuid", "jsonb",
                "int(11)", "bigint(20) unsigned", "varchar(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                "decimal(12,2)", "tinyint(1)", "datetime(6)", "longblob", "double", "INT", "VARCHAR(60)", "NUMERIC(12,2)",
                "UNSIGNED BIG INT", "NATIVE CHARACTER(70)", "BLOB", "TIMESTAMP");
    }

    @Provide
    Arbitrary<String> clauses() {
        return Arbitraries.of("CHECK (pg_terminate_backend(1))", "check(pg_sleep(10) IS NOT NULL)", "DEFAULT 1",
                "default nextval('s')", "REFERENCES audit ON DELETE CASCADE", "GENERATED ALWAYS AS (f()) STORED",
                "GENERATED ALWAYS AS IDENTITY", "COLLATE \"C\"", "NOT NULL", "NULL", "PRIMARY KEY", "UNIQUE",
                "CONSTRAINT c CHECK (true)", "AS (1) VIRTUAL", "AUTO_INCREMENT", "COMMENT 'x'", "); DROP TABLE t; --",
                ", evil integer CHECK (f())", "-- x", "/* x */");
    }

    @Provide
    Arbitrary<Character> foreignCharacters() {
        return Arbitraries.of(';', '\'', '/', '*', '=', '<', '>', '!', '\n', '\u0000', '\\', '`', '{', '%', '|', '&');
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }
}
