package dev.bulwark.recovery.internal.forward;

import java.util.regex.Pattern;

/** The rule for idempotency keys: they are stored as the commit ledger's {@code unit_id VARCHAR(64)}. */
public final class IdempotencyKey {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private IdempotencyKey() {
    }

    /**
     * Returns {@code key} if it fits the commit ledger.
     *
     * @throws IllegalArgumentException naming the key and the rule
     * @throws NullPointerException     if {@code key} is null
     */
    public static String check(String key) {
        if (key == null) {
            throw new NullPointerException("idempotencyKey");
        }
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("idempotency key '" + key + "' is not allowed: use 1 to 64 letters,"
                    + " digits or the characters _ . : - (it is stored in the commit ledger's unit_id column)");
        }
        return key;
    }
}
