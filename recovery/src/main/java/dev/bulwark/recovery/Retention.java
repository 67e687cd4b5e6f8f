package dev.bulwark.recovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Which backups {@link Backups#prune} keeps: the newest N, those younger than an age, or a backup that
 * meets either rule. Immutable and thread-safe.
 *
 * <pre>{@code
 * Retention.keepLast(7).orYoungerThan(Duration.ofDays(30))
 * }</pre>
 */
public final class Retention {

    private final int keepLast;
    private final Duration maxAge;

    private Retention(int keepLast, Duration maxAge) {
        this.keepLast = keepLast;
        this.maxAge = maxAge;
    }

    /**
     * Keeps the newest {@code count} backups.
     *
     * @throws IllegalArgumentException if {@code count} is below 1 (pruning every backup is never meant)
     */
    public static Retention keepLast(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("Retention.keepLast must be at least 1, was " + count);
        }
        return new Retention(count, null);
    }

    /**
     * Keeps the backups created less than {@code age} ago.
     *
     * @throws IllegalArgumentException if {@code age} is zero or negative
     */
    public static Retention keepYoungerThan(Duration age) {
        return new Retention(0, checkAge(age));
    }

    /**
     * A copy that also keeps backups younger than {@code age}.
     *
     * @throws IllegalArgumentException if {@code age} is zero or negative
     */
    public Retention orYoungerThan(Duration age) {
        return new Retention(keepLast, checkAge(age));
    }

    /** How many of the newest backups are kept; 0 when only the age counts. */
    public int keepLastCount() {
        return keepLast;
    }

    /** The age below which backups are kept; {@code null} when only the count counts. */
    public Duration maxAge() {
        return maxAge;
    }

    private static Duration checkAge(Duration age) {
        Objects.requireNonNull(age, "age");
        if (age.isZero() || age.isNegative()) {
            throw new IllegalArgumentException("Retention age must be positive, was " + age);
        }
        return age;
    }

    @Override
    public String toString() {
        return "Retention[keepLast=" + keepLast + ", youngerThan=" + maxAge + "]";
    }
}
