/**
 * Implementation of the journal: segment files, frame checks, recovery on open, group commit, checkpoints.
 * Not an API; may change without notice.
 */
package dev.bulwark.recovery.internal;
