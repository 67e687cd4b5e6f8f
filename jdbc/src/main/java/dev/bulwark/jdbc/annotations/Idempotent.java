package dev.bulwark.jdbc.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that running the annotated DAO method twice has the same effect as running it once. Bulwark
 * may then retry it even when the outcome of an earlier attempt is unknown (a lost commit
 * acknowledgement), instead of reporting SQLState 08007.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {
}
