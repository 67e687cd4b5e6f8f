/**
 * Commit-outcome resolution: finding out, on a new connection, whether a transaction whose COMMIT
 * acknowledgement was lost committed. {@link dev.bulwark.jdbc.internal.resolve.CommitResolver} is the
 * entry point; {@link dev.bulwark.jdbc.internal.resolve.CommitResolvers} picks one per dialect.
 * Not an API.
 */
package dev.bulwark.jdbc.internal.resolve;
