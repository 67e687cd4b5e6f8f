package dev.bulwark.jdbc.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the data source's retry attempts for the annotated DAO method. Only faults that the
 * taxonomy allows are ever retried; this annotation bounds how often, it never widens what.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

    /** Total attempts including the first; {@code 1} disables retries. Must be at least 1. */
    int maxAttempts();
}
