/**
 * Pool-specific eviction and statistics (HikariCP when present, {@code Connection.abort} otherwise).
 */
package dev.bulwark.jdbc.internal.pool;
