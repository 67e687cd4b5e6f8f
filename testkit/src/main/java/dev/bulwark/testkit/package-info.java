/**
 * Fault injection and real databases for tests of JDBC code: {@link dev.bulwark.testkit.TestDatabases}, with more to come.
 */
package dev.bulwark.testkit;
