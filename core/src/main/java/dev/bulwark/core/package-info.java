/**
 * Bulwark's core: the fault taxonomy ({@link dev.bulwark.core.FaultKind}, {@link dev.bulwark.core.Fault}),
 * classifiers, the policy executor {@link dev.bulwark.core.Guard} (deadline, retry, circuit breaker,
 * bulkhead, rate limiter), its events ({@link dev.bulwark.core.PolicyEvent}) and the configuration
 * ({@link dev.bulwark.core.BulwarkConfig}, every property declared in
 * {@link dev.bulwark.core.BulwarkProperties}). Depends on no JDBC driver; Resilience4j stays internal.
 */
package dev.bulwark.core;
