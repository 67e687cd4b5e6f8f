package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a backup's {@code manifest.json}: what was backed up, from where, when, and the
 * SHA-256 of every data file. Immutable.
 */
public record Manifest(int formatVersion, String bulwarkVersion, Instant createdAt, String source, Dialect dialect,
                       String format, List<TableEntry> tables, List<FileEntry> files) {

    /** The manifest format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Data format: one PostgreSQL COPY text file per table. */
    public static final String COPY_TEXT = "copy-text";
    /** Data format: one SQLite database file made by the online backup API. */
    public static final String SQLITE_FILE = "sqlite-database";

    public Manifest {
        tables = List.copyOf(tables);
        files = List.copyOf(files);
    }

    /** One table: its definition, the rows and table checksum at backup time, and its data file. */
    public record TableEntry(TableDefinition definition, long rows, String checksum, String file) {
    }

    /** One file of the backup, relative to the backup directory. */
    public record FileEntry(String path, String sha256, long bytes) {
    }

    /** The manifest as JSON. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", formatVersion);
        root.put("bulwarkVersion", bulwarkVersion);
        root.put("createdAt", createdAt.toString());
        root.put("source", source);
        root.put("dialect", dialect.name());
        root.put("format", format);
        List<Object> tableList = new ArrayList<>();
        for (TableEntry t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.definition().name());
            m.put("rows", t.rows());
            m.put("checksum", t.checksum());
            m.put("file", t.file());
            m.put("columns", t.definition().columns().stream().map(c -> {
                Map<String, Object> col = new LinkedHashMap<>();
                col.put("name", c.name());
                col.put("type", c.type());
                col.put("nullable", c.nullable());
                return col;
            }).toList());
            m.put("primaryKey", t.definition().primaryKey());
            m.put("foreignKeys", t.definition().foreignKeys().stream().map(fk -> {
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("columns", fk.columns());
                key.put("references", fk.referencedTable());
                key.put("referencedColumns", fk.referencedColumns());
                return key;
            }).toList());
            tableList.add(m);
        }
        root.put("tables", tableList);
        root.put("files", files.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("sha256", f.sha256());
            m.put("bytes", f.bytes());
            return m;
        }).toList());
        return Json.write(root);
    }

    /**
     * Reads a manifest.
     *
     * @throws IllegalArgumentException naming the first missing or malformed member, or a member that breaks
     *                                  {@link ManifestRules} (a path outside the backup, an unlisted file)
     */
    public static Manifest fromJson(String json) {
        Map<String, Object> root = map(Json.parse(json), "manifest");
        long version = number(root, "formatVersion");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest formatVersion " + version + " is not supported (this Bulwark reads "
                    + FORMAT_VERSION + ")");
        }
        List<TableEntry> tables = new ArrayList<>();
        for (Object item : list(root, "tables")) {
            Map<String, Object> t = map(item, "tables[]");
            List<TableDefinition.Column> columns = new ArrayList<>();
            for (Object c : list(t, "columns")) {
                Map<String, Object> col = map(c, "columns[]");
                columns.add(new TableDefinition.Column(string(col, "name"), string(col, "type"),
                        Boolean.TRUE.equals(col.get("nullable"))));
            }
            List<TableDefinition.ForeignKey> keys = new ArrayList<>();
            for (Object k : list(t, "foreignKeys")) {
                Map<String, Object> key = map(k, "foreignKeys[]");
                keys.add(new TableDefinition.ForeignKey(strings(key, "columns"), string(key, "references"),
                        strings(key, "referencedColumns")));
            }
            TableDefinition definition = new TableDefinition(string(t, "name"), columns, strings(t, "primaryKey"), keys);
            tables.add(new TableEntry(definition, number(t, "rows"), string(t, "checksum"), string(t, "file")));
        }
        List<FileEntry> files = new ArrayList<>();
        for (Object item : list(root, "files")) {
            Map<String, Object> f = map(item, "files[]");
            files.add(new FileEntry(string(f, "path"), string(f, "sha256"), number(f, "bytes")));
        }
        Manifest manifest = new Manifest((int) version, string(root, "bulwarkVersion"),
                Instant.parse(string(root, "createdAt")), string(root, "source"), Dialect.valueOf(string(root, "dialect")),
                string(root, "format"), tables, files);
        ManifestRules.check(manifest);
        return manifest;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("manifest: " + where + " must be an object");
    }

    private static List<?> list(Map<String, Object> map, String key) {
        if (map.get(key) instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("manifest: '" + key + "' must be an array");
    }

    private static List<String> strings(Map<String, Object> map, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(map, key)) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("manifest: '" + key + "' must hold strings");
            }
            out.add(plain(key, s));
        }
        return out;
    }

    private static String string(Map<String, Object> map, String key) {
        if (map.get(key) instanceof String s) {
            return plain(key, s);
        }
        throw new IllegalArgumentException("manifest: '" + key + "' must be a string");
    }

    /**
     * Bulwark never writes a control character into a manifest (names with one are refused when backed up); one
     * in a rewritten manifest would reach the terminal of whoever prints it (ESC sequences, CR), so it is refused.
     */
    private static String plain(String key, String value) {
        if (key.equals("file") || key.equals("path")) {
            return value; // ManifestRules refuses these, naming tables[i].file / files[i].path
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("manifest: '" + key + "' holds a control character (U+"
                        + String.format("%04X", (int) value.charAt(i)) + ") at " + i);
            }
        }
        return value;
    }

    private static long number(Map<String, Object> map, String key) {
        if (map.get(key) instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("manifest: '" + key + "' must be an integer");
    }
}
