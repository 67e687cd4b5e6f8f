/**
 * The memory harness: retained heap per wrapped connection, per prepared statement and per DataSource, and
 * the threads added, for raw HikariCP, {@code Bulwark.wrap(hikari)} and the {@code jdbc:bulwark:} driver
 * under HikariCP, over the in-process stub driver. Run {@link dev.bulwark.benchmarks.memory.MemoryFootprint}.
 */
package dev.bulwark.benchmarks.memory;
