package dev.bulwark.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that authenticates a backup's manifest with HMAC-SHA256. A backup made with a key has a
 * {@code manifest.hmac} beside its manifest; {@link Backups#verify(Path, ManifestKey)} and a restore with
 * {@link RestoreOptions#withManifestKey(ManifestKey)} refuse a manifest whose HMAC is missing or wrong.
 * Because the manifest records the SHA-256 of every data file, the key authenticates the whole backup
 * against anyone who can write the directory but does not hold the key.
 *
 * <pre>{@code
 * ManifestKey key = ManifestKey.fromFile(Path.of("/etc/shop/backup.key")); // e.g. openssl rand -hex 32, chmod 600
 * Backups.create(dataSource, dir, BackupOptions.builder().withManifestKey(key).build());
 * Backups.restore(dir, target, RestoreOptions.defaults().withManifestKey(key));
 * }</pre>
 *
 * <p>Keep the key outside the backup directory and outside the database. Immutable and thread-safe; its
 * {@code toString()} never shows the key.
 */
public final class ManifestKey {

    /** The shortest key accepted, in bytes (HMAC-SHA256's own output length). */
    public static final int MIN_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;

    private ManifestKey(byte[] key) {
        this.key = key;
    }

    /**
     * A key from bytes (copied).
     *
     * @throws IllegalArgumentException for fewer than {@value #MIN_BYTES} bytes
     */
    public static ManifestKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("ManifestKey: a key needs at least " + MIN_BYTES + " bytes, this one has "
                    + key.length + " (openssl rand -hex 32 makes a good one)");
        }
        return new ManifestKey(key.clone());
    }

    /**
     * A key from a file: its content, surrounding whitespace removed, as UTF-8 bytes. The file must be a
     * regular file (not a symbolic link) that only its owner can read or write, as ssh requires of its keys.
     *
     * @throws IllegalArgumentException naming the file: too short, a link, or readable by others
     * @throws IOException              if it cannot be read
     */
    public static ManifestKey fromFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("key file " + file + " is not a regular file (symbolic links are refused)");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix != null) {
            Set<PosixFilePermission> open = EnumSet.copyOf(posix.readAttributes().permissions());
            open.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
            if (!open.isEmpty()) {
                throw new IllegalArgumentException("key file " + file + " is accessible to others " + open
                        + "; chmod 600 it");
            }
        }
        byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        try {
            return of(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key file " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The HMAC-SHA256 of {@code content} as lower-case hex. */
    String hmac(byte[] content) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(content));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform provides " + ALGORITHM, e);
        }
    }

    /** Whether {@code hex} is the HMAC of {@code content}, compared in constant time. */
    boolean authenticates(byte[] content, String hex) {
        byte[] expected = hmac(content).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hex.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ManifestKey[****]";
    }
}
