/**
 * Internals of {@link dev.bulwark.recovery.StoreAndForward}: the buffered-write format, the commit ledger
 * claim, the replayer and its thread, dead letters. Not API: may change in any release.
 */
package dev.bulwark.recovery.internal.forward;
