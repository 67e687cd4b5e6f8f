/**
 * JMH benchmarks of Bulwark's per-call cost over the in-process stub driver, each beside the same call
 * on raw HikariCP and, where they fit, on peers (Resilience4j, Failsafe, datasource-proxy). Each
 * benchmark's {@code variant} parameter names the stack under the call, so one run gives the ratios.
 */
package dev.bulwark.benchmarks.jmh;
