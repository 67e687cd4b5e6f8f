package dev.bulwark.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One fault declaration of a {@link ChaosPlan}: at which {@link FaultPoint}, for which calls, and
 * which {@link ChaosAction}.
 *
 * <pre>{@code
 * ChaosRule.atCommit().withRate(0.05).fail(ChaosError.of("40001"));        // 5 % of commits
 * ChaosRule.atExecute().withCall(3).closeConnection();                      // the 3rd execute
 * ChaosRule.atExecute().withEvery(10).delay(Duration.ofMillis(50));        // every 10th execute
 * ChaosRule.atExecute().withSqlMatching("(?i)insert into orders").fail("23505");
 * ChaosRule.atCommit().withWindow(Duration.ofSeconds(5), Duration.ofSeconds(8)).loseAcknowledgement();
 * }</pre>
 *
 * <p>All selectors of one rule must hold for a call to be selected. The rule counts the calls that
 * its point, SQL pattern and time window select ("eligible" calls); {@code withCall} and
 * {@code withEvery} count those, so {@code withSqlMatching("insert").withCall(2)} is the second
 * insert. A rule with a rate draws from its own random stream (from the plan's seed and the rule's
 * position) once per eligible call, so its selections do not depend on the other rules of the plan
 * (only whether it wins does).
 *
 * <p>Immutable and thread-safe. The {@link Builder} is not thread-safe.
 */
public final class ChaosRule {

    private final FaultPoint point;
    private final long call;
    private final long every;
    private final double rate;
    private final Pattern sql;
    private final Duration from;
    private final Duration to;
    private final long limit;
    private final ChaosAction action;

    private ChaosRule(Builder b, ChaosAction action) {
        this.point = b.point;
        this.call = b.call;
        this.every = b.every;
        this.rate = b.rate;
        this.sql = b.sql;
        this.from = b.from;
        this.to = b.to;
        this.limit = b.limit;
        this.action = action;
    }

    /** A rule for {@code getConnection()}. */
    public static Builder atAcquire() {
        return new Builder(FaultPoint.ACQUIRE);
    }

    /** A rule for the execute methods of statements. */
    public static Builder atExecute() {
        return new Builder(FaultPoint.EXECUTE);
    }

    /** A rule for {@code Connection.commit()}. */
    public static Builder atCommit() {
        return new Builder(FaultPoint.COMMIT);
    }

    /** A rule for {@code point}. */
    public static Builder at(FaultPoint point) {
        return new Builder(Objects.requireNonNull(point, "point"));
    }

    /** Where the rule applies. */
    public FaultPoint point() {
        return point;
    }

    /** What the rule does to a selected call. */
    public ChaosAction action() {
        return action;
    }

    /** The exact eligible call number selected, or 0 for any. */
    public long call() {
        return call;
    }

    /** Every n-th eligible call is selected, or 0 for any. */
    public long every() {
        return every;
    }

    /** The probability that an eligible call is selected; 1 unless {@code withRate} was used. */
    public double rate() {
        return rate;
    }

    /** The SQL pattern, or {@code null}. */
    public Pattern sqlPattern() {
        return sql;
    }

    /** Start of the time window since the plan started, or {@code null} for no window. */
    public Duration windowFrom() {
        return from;
    }

    /** End (exclusive) of the time window since the plan started, or {@code null} for no window. */
    public Duration windowTo() {
        return to;
    }

    /** The most times this rule fires, or 0 for no limit. */
    public long limit() {
        return limit;
    }

    /** A one-line description, used in logs and in {@link InjectedFault#rule()}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(point.name());
        if (call > 0) {
            parts.add("call=" + call);
        }
        if (every > 0) {
            parts.add("every=" + every);
        }
        if (rate < 1.0) {
            parts.add("rate=" + rate);
        }
        if (sql != null) {
            parts.add("sql~/" + sql.pattern() + "/");
        }
        if (from != null) {
            parts.add("window=[" + from + "," + to + ")");
        }
        if (limit > 0) {
            parts.add("limit=" + limit);
        }
        String what;
        if (action instanceof ChaosAction.Fail f) {
            what = "fail " + f.error().sqlState();
        } else if (action instanceof ChaosAction.Delay d) {
            what = "delay " + d.latency();
        } else if (action instanceof ChaosAction.CloseConnection) {
            what = "close connection";
        } else {
            what = "lose acknowledgement";
        }
        return String.join(" ", parts) + " -> " + what;
    }

    /** Selects calls with {@code with*} and ends with the action. Each method checks its input at once. */
    public static final class Builder {
        private final FaultPoint point;
        private long call;
        private long every;
        private double rate = 1.0;
        private Pattern sql;
        private Duration from;
        private Duration to;
        private long limit;

        private Builder(FaultPoint point) {
            this.point = point;
        }

        /**
         * Selects only the n-th eligible call (1-based).
         *
         * @throws IllegalArgumentException if n &lt; 1 or {@link #withEvery} was used
         */
        public Builder withCall(long n) {
            require(n >= 1, "withCall(n) needs n >= 1, was " + n);
            require(every == 0, "withCall and withEvery exclude each other");
            this.call = n;
            return this;
        }

        /**
         * Selects every n-th eligible call: the n-th, 2n-th, ...
         *
         * @throws IllegalArgumentException if n &lt; 1 or {@link #withCall} was used
         */
        public Builder withEvery(long n) {
            require(n >= 1, "withEvery(n) needs n >= 1, was " + n);
            require(call == 0, "withCall and withEvery exclude each other");
            this.every = n;
            return this;
        }

        /**
         * Selects each eligible call with this probability, drawn from the plan's seed.
         *
         * @throws IllegalArgumentException unless 0 &lt; rate &lt;= 1
         */
        public Builder withRate(double probability) {
            require(probability > 0.0 && probability <= 1.0,
                    "withRate(p) needs 0 < p <= 1, was " + probability);
            this.rate = probability;
            return this;
        }

        /**
         * Selects calls whose SQL text contains a match of {@code regex} ({@link java.util.regex.Matcher#find()};
         * use {@code (?i)} for case-insensitive). The text is the SQL given to {@code execute(sql)} or to
         * {@code prepareStatement}/{@code prepareCall}; for {@code Statement.executeBatch} the added
         * statements joined by {@code ";\n"}.
         *
         * @throws IllegalArgumentException if the rule is not at EXECUTE or the regex is invalid
         */
        public Builder withSqlMatching(String regex) {
            Objects.requireNonNull(regex, "regex");
            require(point == FaultPoint.EXECUTE, "withSqlMatching applies only at EXECUTE, this rule is at " + point);
            try {
                this.sql = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("withSqlMatching: invalid regex /" + regex + "/: "
                        + e.getDescription(), e);
            }
            return this;
        }

        /**
         * Selects calls made at least {@code start} and less than {@code end} after the plan started
         * (when the {@link ChaosDataSource} was created), as measured by the plan's clock.
         *
         * @throws IllegalArgumentException if start is negative or end is not after start
         */
        public Builder withWindow(Duration start, Duration end) {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            require(!start.isNegative(), "withWindow start must not be negative, was " + start);
            require(end.compareTo(start) > 0, "withWindow end must be after start, was [" + start + ", " + end + ")");
            this.from = start;
            this.to = end;
            return this;
        }

        /**
         * Fires at most {@code times} times.
         *
         * @throws IllegalArgumentException if times &lt; 1
         */
        public Builder withLimit(long times) {
            require(times >= 1, "withLimit(times) needs times >= 1, was " + times);
            this.limit = times;
            return this;
        }

        /** Raises {@code error}; nothing reaches the database. */
        public ChaosRule fail(ChaosError error) {
            return new ChaosRule(this, new ChaosAction.Fail(error));
        }

        /**
         * Raises an error with this SQLState (see {@link ChaosError#of}).
         *
         * @throws IllegalArgumentException if the SQLState is malformed
         */
        public ChaosRule fail(String sqlState) {
            return fail(ChaosError.of(sqlState));
        }

        /**
         * Adds latency before the call.
         *
         * @throws IllegalArgumentException if latency is not positive
         */
        public ChaosRule delay(Duration latency) {
            return new ChaosRule(this, new ChaosAction.Delay(latency));
        }

        /** Closes the physical connection under the caller; see {@link ChaosAction.CloseConnection}. */
        public ChaosRule closeConnection() {
            return new ChaosRule(this, new ChaosAction.CloseConnection());
        }

        /**
         * Lets the commit (or autocommit statement) happen, then closes the connection and raises 08006.
         *
         * @throws IllegalArgumentException at ACQUIRE, where there is nothing to acknowledge
         */
        public ChaosRule loseAcknowledgement() {
            require(point != FaultPoint.ACQUIRE, "loseAcknowledgement applies at EXECUTE or COMMIT, not ACQUIRE");
            return new ChaosRule(this, new ChaosAction.LoseAcknowledgement());
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
