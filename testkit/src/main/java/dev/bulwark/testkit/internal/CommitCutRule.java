package dev.bulwark.testkit.internal;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, COMMIT by COMMIT, whether the proxy cuts the connection that carries it.
 *
 * <p>Thread-safe: connections ask concurrently.
 */
public sealed interface CommitCutRule {

    /** Never cut. */
    CommitCutRule NONE = new None();

    /** Whether the COMMIT just seen is to be cut. */
    boolean cutThisOne();

    /** Cut exactly the {@code nth} COMMIT seen from now on (1 = the next one), once. */
    static CommitCutRule nth(int nth) {
        return new Nth(new AtomicInteger(nth));
    }

    /** Cut each COMMIT with probability {@code fraction}, drawn from {@code random}. */
    static CommitCutRule fraction(double fraction, Random random) {
        return new Fraction(fraction, random);
    }

    /** The rule that never cuts. */
    record None() implements CommitCutRule {
        @Override
        public boolean cutThisOne() {
            return false;
        }
    }

    /** Counts down to the one COMMIT to cut. */
    record Nth(AtomicInteger countdown) implements CommitCutRule {
        @Override
        public boolean cutThisOne() {
            return countdown.getAndUpdate(left -> left > 0 ? left - 1 : 0) == 1;
        }
    }

    /** Cuts a seeded random share of COMMITs. */
    record Fraction(double fraction, Random random) implements CommitCutRule {
        @Override
        public boolean cutThisOne() {
            return random.nextDouble() < fraction;
        }
    }
}
