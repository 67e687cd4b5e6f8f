package dev.bulwark.jdbc.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * A total deadline for the annotated DAO method, retries and backoff included. The remaining time is
 * pushed into statement and network timeouts, so a hung database cannot hang the caller.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

    /** The deadline, in {@link #unit()}; must be positive. */
    long value();

    /** Unit of {@link #value()}. */
    TimeUnit unit() default TimeUnit.MILLISECONDS;
}
