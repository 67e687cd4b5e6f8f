/**
 * Micrometer metrics for Bulwark, usable when Micrometer is on the class path (it is an optional
 * dependency): {@link dev.bulwark.jdbc.micrometer.BulwarkMetrics}.
 */
package dev.bulwark.jdbc.micrometer;
