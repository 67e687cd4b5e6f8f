/**
 * The end-to-end harness: pgbench-style point selects and a small read-write mix on loopback PostgreSQL
 * through raw HikariCP, Bulwark over HikariCP and the {@code jdbc:bulwark:} driver under HikariCP, the
 * variants interleaved round by round. Run {@link dev.bulwark.benchmarks.e2e.EndToEnd}.
 */
package dev.bulwark.benchmarks.e2e;
