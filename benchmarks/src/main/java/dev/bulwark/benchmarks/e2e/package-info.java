/**
 * The end-to-end harness: pgbench-style point selects and a small read-write mix on loopback PostgreSQL
 * through raw HikariCP, Bulwark over HikariCP and the {@code jdbc:bulwark:} driver under HikariCP, the
 * variants interleaved round by round. Run {@link dev.bulwark.benchmarks.e2e.EndToEnd}. And
 * {@link dev.bulwark.benchmarks.e2e.RecoveryTiming}: what clients of raw HikariCP and of Bulwark see while
 * throw-away clusters restart, lose their sessions, fail over or hang.
 */
package dev.bulwark.benchmarks.e2e;
