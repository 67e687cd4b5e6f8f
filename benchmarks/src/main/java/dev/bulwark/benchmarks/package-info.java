/**
 * JMH and end-to-end benchmarks (in progress).
 */
package dev.bulwark.benchmarks;
