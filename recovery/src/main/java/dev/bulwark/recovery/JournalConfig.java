package dev.bulwark.recovery;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link Journal} keeps its files and how large it may grow.
 *
 * <pre>{@code
 * JournalConfig config = JournalConfig.builder()
 *         .withDirectory(Path.of("/var/lib/app/journal"))
 *         .withSegmentSize(64L << 20)   // roll to a new file every 64 MiB
 *         .withMaxSize(1L << 30)        // refuse appends beyond 1 GiB not yet checkpointed
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The {@link Builder} is not thread-safe.
 */
public final class JournalConfig {

    /** The smallest segment size accepted: a header and one small record. */
    public static final long MIN_SEGMENT_SIZE = 64;
    /** The default segment size, 64 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    /** The default limit of un-checkpointed bytes, 1 GiB. */
    public static final long DEFAULT_MAX_SIZE = 1L << 30;

    /** Segment header (16 bytes) plus record frame header (16 bytes): the overhead of a record alone in a segment. */
    private static final long SINGLE_RECORD_OVERHEAD = 32;
    private static final long RECORD_OVERHEAD = 16;

    private final Path directory;
    private final long segmentSize;
    private final long maxSize;
    private final Durability durability;

    private JournalConfig(Builder builder) {
        this.directory = builder.directory;
        this.segmentSize = builder.segmentSize;
        this.maxSize = builder.maxSize;
        this.durability = builder.durability;
    }

    /** Returns a builder with the defaults: 64 MiB segments, 1 GiB limit, {@link Durability#SYNC}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the directory holding the segments, the checkpoint and the lock file. */
    public Path directory() {
        return directory;
    }

    /** Returns the size in bytes at which the journal starts a new segment file. */
    public long segmentSize() {
        return segmentSize;
    }

    /** Returns the most bytes (framing included) the journal holds beyond its checkpoint. */
    public long maxSize() {
        return maxSize;
    }

    /** Returns when {@link Journal#append} acknowledges a record. */
    public Durability durability() {
        return durability;
    }

    /** Returns the largest payload {@link Journal#append} accepts: it must fit a segment and the size limit. */
    public int maxPayloadSize() {
        long limit = Math.min(segmentSize - SINGLE_RECORD_OVERHEAD, maxSize - RECORD_OVERHEAD);
        return (int) Math.min(limit, Integer.MAX_VALUE - SINGLE_RECORD_OVERHEAD);
    }

    @Override
    public String toString() {
        return "JournalConfig[directory=" + directory + ", segmentSize=" + segmentSize + ", maxSize=" + maxSize
                + ", durability=" + durability + "]";
    }

    /**
     * Builds a {@link JournalConfig}, checking each value as it is set.
     *
     * <p>Not thread-safe; {@link #build()} copies the values, so a builder may be reused.
     */
    public static final class Builder {

        private Path directory;
        private long segmentSize = DEFAULT_SEGMENT_SIZE;
        private long maxSize = DEFAULT_MAX_SIZE;
        private Durability durability = Durability.SYNC;

        private Builder() {
        }

        /**
         * Sets the journal directory; it is created (with its parents) on open if missing.
         *
         * @throws NullPointerException if {@code directory} is null
         */
        public Builder withDirectory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the segment size in bytes.
         *
         * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_SEGMENT_SIZE}
         */
        public Builder withSegmentSize(long bytes) {
            if (bytes < MIN_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segmentSize must be at least " + MIN_SEGMENT_SIZE
                        + " bytes but was " + bytes);
            }
            this.segmentSize = bytes;
            return this;
        }

        /**
         * Sets the most bytes the journal holds beyond its checkpoint before {@link Journal#append} refuses
         * records with {@link JournalFullException}.
         *
         * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_SEGMENT_SIZE}
         */
        public Builder withMaxSize(long bytes) {
            if (bytes < MIN_SEGMENT_SIZE) {
                throw new IllegalArgumentException("maxSize must be at least " + MIN_SEGMENT_SIZE + " bytes but was "
                        + bytes);
            }
            this.maxSize = bytes;
            return this;
        }

        /**
         * Sets when appends are acknowledged; keep the default {@link Durability#SYNC} in production.
         *
         * @throws NullPointerException if {@code durability} is null
         */
        public Builder withDurability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Returns the configuration.
         *
         * @throws IllegalStateException if no directory was set
         */
        public JournalConfig build() {
            if (directory == null) {
                throw new IllegalStateException("JournalConfig needs a directory: call withDirectory(path)");
            }
            return new JournalConfig(this);
        }
    }
}
