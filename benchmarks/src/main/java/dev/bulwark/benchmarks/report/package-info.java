/**
 * Turns the JMH and end-to-end results into the ratio tables of {@code docs/benchmarks.md} and its chart;
 * needs nothing beyond the JDK (the chart is drawn with Java2D, headless).
 */
package dev.bulwark.benchmarks.report;
