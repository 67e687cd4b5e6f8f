package dev.bulwark.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Identifies one target of the {@code jdbc:bulwark:} driver by everything a caller gave: the target URL, every
 * connection property (password included) and every {@code bulwark.*} setting. Two callers share a target only
 * if all of these are equal, so one caller's credentials or properties never serve another's connection.
 *
 * <p>The key holds no text of its own: only a SHA-256 over a random per-process salt and the length-prefixed
 * entries in key order, so a password is kept by the key as a salted digest, never as text (the target's
 * DataSource, which must log in with it, is the only holder of the password). One digest costs 1 to 2
 * microseconds, against the milliseconds of the physical connection it leads to.
 *
 * <p>Immutable and thread-safe.
 */
public final class TargetKey {

    private static final byte[] SALT = new byte[16];
    /** One digest per thread: {@code MessageDigest.getInstance} costs a provider lookup per call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(TargetKey::sha256);

    static {
        new SecureRandom().nextBytes(SALT);
    }

    private final byte[] digest;
    private final int hash;

    private TargetKey(byte[] digest) {
        this.digest = digest;
        this.hash = Arrays.hashCode(digest);
    }

    /** The key of {@code url}: its target URL, target properties and settings. */
    public static TargetKey of(BulwarkUrl url) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        sha.update(SALT);
        add(sha, url.targetUrl());
        Map<String, String> properties = new TreeMap<>();
        for (Map.Entry<Object, Object> entry : url.targetProperties().entrySet()) {
            // Non-String entries are passed on to the real driver as given, so they are part of the target.
            properties.put(text(entry.getKey()), text(entry.getValue()));
        }
        addAll(sha, properties);
        addAll(sha, new TreeMap<>(url.settings()));
        return new TargetKey(sha.digest());
    }

    private static String text(Object value) {
        return value instanceof String s ? "s" + s : "o" + value.getClass().getName() + ':' + value;
    }

    private static void addAll(MessageDigest sha, Map<String, String> entries) {
        add(sha, Integer.toString(entries.size()));
        entries.forEach((k, v) -> {
            add(sha, k);
            add(sha, v);
        });
    }

    /** Length-prefixed, so that no two different entry lists give the same byte sequence. */
    private static void add(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TargetKey that && MessageDigest.isEqual(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "TargetKey[" + Integer.toHexString(hash) + "]";
    }
}
