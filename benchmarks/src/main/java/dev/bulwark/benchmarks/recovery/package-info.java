/**
 * Throughput of the recovery module against its physical limits and peers, measured side by side in one
 * run: durable journal appends against raw fsync and SQLite WAL inserts; backup and restore against
 * pg_dump and pg_restore.
 */
package dev.bulwark.benchmarks.recovery;
