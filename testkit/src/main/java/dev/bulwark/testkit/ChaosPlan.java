package dev.bulwark.testkit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A seeded, reproducible list of {@link ChaosRule}s for a {@link ChaosDataSource}.
 *
 * <pre>{@code
 * ChaosPlan plan = ChaosPlan.builder()
 *         .withSeed(42)
 *         .on(ChaosRule.atExecute().withSqlMatching("(?i)^insert").withCall(3).fail("40001"))
 *         .on(ChaosRule.atCommit().withRate(0.05).loseAcknowledgement())
 *         .build();
 * }</pre>
 *
 * <p>For each call at a fault point the rules are evaluated in the order they were added and the
 * <b>first rule that selects the call wins</b>; the others do nothing for that call (but still count
 * it and draw their random number, so appending a rule never changes what the rules before it
 * select; each rule's random stream comes from the seed and its position). Given
 * the same seed and the same sequence of calls, a plan makes the same decisions.
 *
 * <p>Immutable and thread-safe. The {@link Builder} is not thread-safe.
 */
public final class ChaosPlan {

    private final long seed;
    private final Clock clock;
    private final List<ChaosRule> rules;

    private ChaosPlan(Builder b) {
        this.seed = b.seed;
        this.clock = b.clock;
        this.rules = List.copyOf(b.rules);
    }

    /** A builder with a random seed (reported by {@link #seed()}), the system clock and no rules. */
    public static Builder builder() {
        return new Builder();
    }

    /** A plan that injects nothing. */
    public static ChaosPlan none() {
        return builder().withSeed(0).build();
    }

    /** The seed of the plan's random decisions; build the plan again with it to repeat a run. */
    public long seed() {
        return seed;
    }

    /** The clock of the time windows. */
    public Clock clock() {
        return clock;
    }

    /** The rules, in evaluation order. */
    public List<ChaosRule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        return "ChaosPlan[seed=" + seed + ", rules=" + rules + "]";
    }

    /** Collects the seed, the clock and the rules. */
    public static final class Builder {
        private long seed = ThreadLocalRandom.current().nextLong();
        private Clock clock = Clock.systemUTC();
        private final List<ChaosRule> rules = new ArrayList<>();

        private Builder() {
        }

        /** Uses this seed for the rate-based decisions, to repeat an earlier run. */
        public Builder withSeed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        /**
         * Uses this clock for time windows; tests pass a clock they move by hand, so they need no sleeps.
         *
         * @throws NullPointerException if clock is null
         */
        public Builder withClock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /**
         * Adds a rule after those already added.
         *
         * @throws NullPointerException if rule is null
         */
        public Builder on(ChaosRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** The immutable plan. */
        public ChaosPlan build() {
            return new ChaosPlan(this);
        }
    }
}
