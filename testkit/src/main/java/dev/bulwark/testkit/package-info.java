/**
 * Real databases and fault injection for tests of JDBC code: {@link dev.bulwark.testkit.TestDatabases}
 * (a fresh PostgreSQL schema, MariaDB database or SQLite file per test),
 * {@link dev.bulwark.testkit.ChaosDataSource} (a DataSource that injects the faults of a seeded
 * {@link dev.bulwark.testkit.ChaosPlan}), and the JUnit 5 {@link dev.bulwark.testkit.BulwarkTestExtension}
 * that hands both to test methods and cleans up after each test.
 */
package dev.bulwark.testkit;
