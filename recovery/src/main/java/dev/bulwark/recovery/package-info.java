/**
 * Recovery: the crash-safe write {@link dev.bulwark.recovery.Journal} (backups, checksums and table copies
 * follow).
 *
 * <p>Start with {@link dev.bulwark.recovery.JournalConfig} and {@link dev.bulwark.recovery.Journal#open}; the
 * file format and the guarantees are described in {@code docs/recovery.md}.
 */
package dev.bulwark.recovery;
