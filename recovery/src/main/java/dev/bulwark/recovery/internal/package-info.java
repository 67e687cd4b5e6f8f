/**
 * Internals of the recovery module: the journal (segment files, frame checks, recovery on open, group
 * commit, checkpoints), catalog reading, canonical value encodings, backup files, restore and table copy.
 * Not an API; may change without notice.
 */
package dev.bulwark.recovery.internal;
