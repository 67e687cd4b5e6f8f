package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.Backup;
import dev.bulwark.recovery.RecoveryException;
import dev.bulwark.recovery.VerificationReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reading and verifying a backup directory's manifest and files. */
public final class ManifestFiles {

    private ManifestFiles() {
    }

    /**
     * Reads the manifest.
     *
     * @throws RecoveryException (XX001) when there is none or it is malformed
     */
    public static Manifest read(Path dir) throws IOException, RecoveryException {
        return parse(dir, readBytes(dir));
    }

    /** The manifest's bytes, for a caller that authenticates them before {@link #parse}. */
    public static byte[] readBytes(Path dir) throws IOException, RecoveryException {
        return Files.readAllBytes(manifestOf(dir));
    }

    /**
     * Parses manifest bytes read from {@code dir}.
     *
     * @throws RecoveryException (XX001) when they are malformed, naming the field
     */
    public static Manifest parse(Path dir, byte[] json) throws RecoveryException {
        try {
            return Manifest.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new RecoveryException("backup " + dir + ": " + BackupDirectory.MANIFEST + " is malformed: "
                    + e.getMessage(), RecoveryException.CORRUPTED, e);
        }
    }

    /** The public view of a manifest. */
    public static Backup view(Path dir, Manifest manifest) {
        return new Backup(dir, manifest.createdAt(), manifest.source(), manifest.dialect().name(),
                manifest.bulwarkVersion(), manifest.formatVersion(), manifest.tables().stream()
                .map(t -> new Backup.Table(t.definition().name(), t.rows(), t.checksum(), t.file())).toList());
    }

    /** Recomputes every checksum; see {@code Backups.verify}. */
    public static VerificationReport verify(Path dir) throws IOException, RecoveryException {
        Path manifestFile = manifestOf(dir);
        List<VerificationReport.Mismatch> mismatches = new ArrayList<>();
        Path shaFile = dir.resolve(BackupDirectory.MANIFEST_SHA256);
        String expected = Files.isRegularFile(shaFile, LinkOption.NOFOLLOW_LINKS)
                ? Files.readString(shaFile, StandardCharsets.US_ASCII).trim().split("\\s+")[0] : "missing";
        String actual = Sha256.ofFile(manifestFile);
        if (!actual.equals(expected)) {
            mismatches.add(new VerificationReport.Mismatch(BackupDirectory.MANIFEST, expected, actual));
        }
        Manifest manifest;
        try {
            manifest = read(dir);
        } catch (RecoveryException e) {
            if (mismatches.isEmpty()) {
                throw e;
            }
            return new VerificationReport(dir, 1, mismatches); // the manifest itself is damaged: nothing else to check against
        }
        Set<String> listed = new HashSet<>(Set.of(BackupDirectory.MANIFEST, BackupDirectory.MANIFEST_SHA256,
                BackupDirectory.MANIFEST_HMAC));
        for (Manifest.FileEntry entry : manifest.files()) {
            listed.add(entry.path());
            String problem = problemWith(dir, entry.path());
            if (problem != null) {
                mismatches.add(new VerificationReport.Mismatch(entry.path(), entry.sha256(), problem));
                continue;
            }
            String sha = Sha256.ofFile(dir.resolve(entry.path()));
            if (!sha.equals(entry.sha256())) {
                mismatches.add(new VerificationReport.Mismatch(entry.path(), entry.sha256(), sha));
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow symbolic links
            for (Path file : walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (!listed.contains(relative)) {
                    mismatches.add(new VerificationReport.Mismatch(relative, "absent",
                            Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Sha256.ofFile(file) : "not a regular file"));
                }
            }
        }
        return new VerificationReport(dir, manifest.files().size() + 1, mismatches);
    }

    /**
     * The file at a manifest path (already checked by {@link ManifestRules}: relative, plain segments),
     * refusing a symbolic link anywhere below the backup directory and anything but a regular file.
     *
     * @throws RecoveryException (XX001) naming the manifest field and the path
     */
    public static Path dataFile(Path dir, String relative, String field) throws RecoveryException {
        String problem = problemWith(dir, relative);
        if (problem != null) {
            throw new RecoveryException("backup " + dir + ": " + field + " " + SqlDialect.printable(relative) + " is "
                    + problem + "; refusing to read it", RecoveryException.CORRUPTED);
        }
        return dir.resolve(relative);
    }

    /** Null for a regular file inside {@code dir} reached without symbolic links, else what it is. */
    private static String problemWith(Path dir, String relative) {
        Path file = dir.resolve(relative).normalize();
        if (!file.startsWith(dir) || file.equals(dir)) {
            return "outside the backup";
        }
        for (Path p = file; !p.equals(dir); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return "a symbolic link";
            }
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return "missing";
        }
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? null : "not a regular file";
    }

    private static Path manifestOf(Path dir) throws RecoveryException {
        Path file = dir.resolve(BackupDirectory.MANIFEST);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new RecoveryException(dir + " is not a complete backup: it has no " + BackupDirectory.MANIFEST
                    + " (an interrupted backup leaves only a hidden .partial directory, which is deleted)",
                    RecoveryException.CORRUPTED);
        }
        return file;
    }
}
