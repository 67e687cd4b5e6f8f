package dev.bulwark.recovery.internal;

/**
 * Counters of an open journal, for tests and diagnostics.
 *
 * @param appends records appended since open
 * @param forces  forces (fsyncs) of segment data since open, roll-overs excluded
 */
public record JournalStats(long appends, long forces) {
}
