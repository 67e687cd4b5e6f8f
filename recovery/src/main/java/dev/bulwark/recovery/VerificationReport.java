package dev.bulwark.recovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Backups#verify}: every file whose SHA-256 differs from the manifest, is missing,
 * or is not in the manifest. Immutable and thread-safe.
 *
 * @param backup     the backup directory checked
 * @param filesChecked how many files the manifest lists (plus the manifest itself)
 * @param mismatches one entry per bad file; empty when the backup is intact
 */
public record VerificationReport(Path backup, int filesChecked, List<Mismatch> mismatches) {

    /** Copies the list. @throws NullPointerException if an argument is null */
    public VerificationReport {
        Objects.requireNonNull(backup, "backup");
        mismatches = List.copyOf(mismatches);
    }

    /** Whether every file matched. */
    public boolean isIntact() {
        return mismatches.isEmpty();
    }

    /**
     * One file that does not match.
     *
     * @param file     path relative to the backup directory
     * @param expected the SHA-256 the manifest records, or {@code "absent"} for an unexpected file
     * @param actual   the SHA-256 found, or {@code "missing"}
     */
    public record Mismatch(String file, String expected, String actual) {
    }

    @Override
    public String toString() {
        if (isIntact()) {
            return "backup " + backup + " intact (" + filesChecked + " files)";
        }
        StringBuilder out = new StringBuilder("backup " + backup + " has " + mismatches.size() + " bad file(s):");
        for (Mismatch m : mismatches) {
            out.append("\n  ").append(m.file()).append(": expected ").append(m.expected()).append(", actual ").append(m.actual());
        }
        return out.toString();
    }
}
