/**
 * What Bulwark costs, measured beside the raw pool and its peers: JMH benchmarks over an in-process
 * stub driver ({@code jmh}), an end-to-end harness on loopback PostgreSQL ({@code e2e}) and the
 * report that turns both into ratio tables and a chart ({@code report}). Run with {@code benchmarks/run}.
 */
package dev.bulwark.benchmarks;
