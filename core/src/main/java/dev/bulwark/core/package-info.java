/**
 * Bulwark's core: the fault taxonomy ({@link dev.bulwark.core.FaultKind}, {@link dev.bulwark.core.Fault}), classifiers, policies and configuration. Depends on no JDBC driver.
 */
package dev.bulwark.core;
