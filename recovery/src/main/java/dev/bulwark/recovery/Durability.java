package dev.bulwark.recovery;

/**
 * When {@link Journal#append} acknowledges a record.
 *
 * <p>Immutable enum, safe to share.
 */
public enum Durability {
    /**
     * The record is on stable storage ({@code FileChannel.force}) before {@code append} returns; it survives a
     * process crash, an operating system crash and a power loss. The default, and the only setting for
     * production.
     */
    SYNC,
    /**
     * The record is written to the operating system before {@code append} returns but never forced: it survives
     * a crash of the process, not of the operating system or the machine. For tests and throw-away data only.
     */
    NO_SYNC
}
