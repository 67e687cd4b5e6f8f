/**
 * Flyway with {@code jdbc:bulwark:} URLs: add {@code bulwark-flyway} next to Flyway and give Flyway the
 * Bulwark URL itself, for example {@code flyway -url=jdbc:bulwark:postgresql://db/app migrate}. Flyway finds
 * these database types through its service loader; each treats the URL as the database it wraps and
 * connects through {@link dev.bulwark.jdbc.BulwarkDriver}, so migrations get Bulwark's retries, timeouts
 * and circuit breaker.
 */
package dev.bulwark.flyway;
