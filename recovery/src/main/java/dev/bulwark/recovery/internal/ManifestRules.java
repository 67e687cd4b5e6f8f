package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a manifest may say, checked when it is read: it is data written by Bulwark, and anyone who can
 * write the backup directory can rewrite it (and its SHA-256). File paths are relative, made of plain
 * name segments (no {@code ..}, no leading dot, no absolute path, no backslash), each listed once in
 * {@code files[]} with a SHA-256; every {@code tables[].file} is one of them; the data format fits the
 * database. Column types are checked where they would be written ({@link Ddl}), so that a backup of a
 * table whose type is outside the grammar can still be verified and restored into an existing table.
 */
final class ManifestRules {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_DEPTH = 4;

    private ManifestRules() {
    }

    /**
     * Checks a parsed manifest.
     *
     * @throws IllegalArgumentException naming the field ({@code tables[2].file}) and what is wrong with it
     */
    static void check(Manifest manifest) {
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < manifest.files().size(); i++) {
            Manifest.FileEntry file = manifest.files().get(i);
            String field = "files[" + i + "].path";
            checkPath(field, file.path());
            if (!listed.add(file.path())) {
                throw new IllegalArgumentException(field + " " + quoted(file.path()) + " is listed twice");
            }
            if (!SHA256.matcher(file.sha256()).matches()) {
                throw new IllegalArgumentException("files[" + i + "].sha256 " + quoted(file.sha256())
                        + " is not 64 lower-case hex digits");
            }
            if (file.bytes() < 0) {
                throw new IllegalArgumentException("files[" + i + "].bytes " + file.bytes() + " is negative");
            }
        }
        if (!manifest.format().equals(Manifest.COPY_TEXT) && !manifest.format().equals(Manifest.SQLITE_FILE)) {
            throw new IllegalArgumentException("format " + quoted(manifest.format()) + " is not one of "
                    + Manifest.COPY_TEXT + ", " + Manifest.SQLITE_FILE);
        }
        if (manifest.format().equals(Manifest.SQLITE_FILE) && manifest.dialect() != Dialect.SQLITE) {
            throw new IllegalArgumentException("format " + Manifest.SQLITE_FILE + " is only for SQLITE backups, this one says "
                    + manifest.dialect());
        }
        for (int i = 0; i < manifest.tables().size(); i++) {
            String field = "tables[" + i + "].file";
            String file = manifest.tables().get(i).file();
            checkPath(field, file);
            if (!listed.contains(file)) {
                throw new IllegalArgumentException(field + " " + quoted(file) + " is not listed in files[] with a SHA-256");
            }
        }
    }

    private static void checkPath(String field, String path) {
        String[] segments = path.split("/", -1);
        boolean reserved = path.equals(BackupDirectory.MANIFEST) || path.equals(BackupDirectory.MANIFEST_SHA256)
                || path.equals(BackupDirectory.MANIFEST_HMAC);
        if (segments.length > MAX_DEPTH || reserved) {
            throw new IllegalArgumentException(field + " " + quoted(path) + " is not a data file of the backup");
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException(field + " " + quoted(path) + " is not a plain relative path inside the"
                        + " backup (segments of letters, digits, '_', '-', '.', not starting with '.'; no absolute path)");
            }
        }
    }

    private static String quoted(String value) {
        return SqlDialect.printable(value);
    }
}
