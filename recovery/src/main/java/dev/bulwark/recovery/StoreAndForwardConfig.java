package dev.bulwark.recovery;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a {@link StoreAndForward} buffers and replays: its journal, the deadline of a direct write, the replay
 * backoff, the dead-letter directory and the commit ledger table.
 *
 * <pre>{@code
 * StoreAndForwardConfig config = StoreAndForwardConfig.builder()
 *         .withJournal(JournalConfig.builder().withDirectory(Path.of("/var/lib/app/outbox")).build())
 *         .withWriteDeadline(Duration.ofSeconds(2))     // then the write is buffered
 *         .withReplayBackoff(Duration.ofMillis(200), Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The {@link Builder} is not thread-safe.
 */
public final class StoreAndForwardConfig {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

    private final JournalConfig journal;
    private final Duration writeDeadline;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Path deadLetterDirectory;
    private final String ledgerTable;
    private final boolean createLedger;
    private final Clock clock;

    private StoreAndForwardConfig(Builder b) {
        this.journal = b.journal;
        this.writeDeadline = b.writeDeadline;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.deadLetterDirectory = b.deadLetterDirectory != null ? b.deadLetterDirectory
                : b.journal.directory().resolveSibling(b.journal.directory().getFileName() + "-dead-letter");
        this.ledgerTable = b.ledgerTable;
        this.createLedger = b.createLedger;
        this.clock = b.clock;
    }

    /** Returns a builder: no deadline of its own, backoff 200 ms to 10 s, ledger created if missing. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the journal holding buffered writes. */
    public JournalConfig journal() {
        return journal;
    }

    /** Returns the deadline of a direct write (retries included), or empty for the data source's own. */
    public Optional<Duration> writeDeadline() {
        return Optional.ofNullable(writeDeadline);
    }

    /** Returns the first wait of the replayer after a failed attempt. */
    public Duration minBackoff() {
        return minBackoff;
    }

    /** Returns the longest wait of the replayer between attempts while the database is unavailable. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Returns where writes that fail at replay are kept; by default {@code <journal directory>-dead-letter}. */
    public Path deadLetterDirectory() {
        return deadLetterDirectory;
    }

    /** Returns the commit ledger table holding applied idempotency keys. */
    public String ledgerTable() {
        return ledgerTable;
    }

    /** Returns whether the ledger table is created (if missing) before the first write. */
    public boolean createLedger() {
        return createLedger;
    }

    /** Returns the clock stamping buffered writes (for their age and lag). */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "StoreAndForwardConfig[journal=" + journal + ", writeDeadline=" + writeDeadline + ", backoff="
                + minBackoff + ".." + maxBackoff + ", deadLetterDirectory=" + deadLetterDirectory + ", ledgerTable="
                + ledgerTable + ", createLedger=" + createLedger + "]";
    }

    /** Builds a {@link StoreAndForwardConfig}, checking each value as it is set. Not thread-safe. */
    public static final class Builder {

        private JournalConfig journal;
        private Duration writeDeadline;
        private Duration minBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Path deadLetterDirectory;
        private String ledgerTable = "bulwark_commit_ledger";
        private boolean createLedger = true;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the journal holding buffered writes (required).
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder withJournal(JournalConfig value) {
            this.journal = Objects.requireNonNull(value, "journal");
            return this;
        }

        /**
         * Bounds a direct write, retries included; when it runs out on a connection or timeout fault the write
         * is buffered, so the caller hears back within about this time plus one fsync.
         *
         * @throws IllegalArgumentException if {@code value} is zero or negative
         * @throws NullPointerException     if {@code value} is null
         */
        public Builder withWriteDeadline(Duration value) {
            this.writeDeadline = positive("writeDeadline", value);
            return this;
        }

        /**
         * Sets the replayer's backoff while the database is unavailable: {@code min}, doubling up to {@code max}.
         *
         * @throws IllegalArgumentException if a value is zero or negative, or {@code max} is below {@code min}
         * @throws NullPointerException     if a value is null
         */
        public Builder withReplayBackoff(Duration min, Duration max) {
            positive("replay backoff min", min);
            positive("replay backoff max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("replay backoff max " + max + " is below min " + min);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets where writes that fail at replay are copied before they are checkpointed.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder withDeadLetterDirectory(Path value) {
            this.deadLetterDirectory = Objects.requireNonNull(value, "deadLetterDirectory");
            return this;
        }

        /**
         * Sets the commit ledger table (default {@code bulwark_commit_ledger}, the table Bulwark's commit
         * resolution uses).
         *
         * @throws IllegalArgumentException if {@code name} is not a plain identifier of at most 48 characters
         */
        public Builder withLedgerTable(String name) {
            if (name == null || !TABLE.matcher(name).matches()) {
                throw new IllegalArgumentException("ledgerTable '" + name + "' is not allowed: use 1 to 48 letters,"
                        + " digits or underscores, starting with a letter or underscore");
            }
            this.ledgerTable = name;
            return this;
        }

        /** Sets whether the ledger table is created when missing (default true; needs the DDL privilege). */
        public Builder withCreateLedger(boolean value) {
            this.createLedger = value;
            return this;
        }

        /**
         * Sets the clock stamping buffered writes.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder withClock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Returns the configuration.
         *
         * @throws IllegalStateException if no journal was set
         */
        public StoreAndForwardConfig build() {
            if (journal == null) {
                throw new IllegalStateException("StoreAndForwardConfig needs a journal: call withJournal(config)");
            }
            return new StoreAndForwardConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
            return value;
        }
    }
}
