/**
 * Resilient JDBC: the wrapped DataSource, units of work, the {@code jdbc:bulwark:} driver (in progress).
 */
package dev.bulwark.jdbc;
