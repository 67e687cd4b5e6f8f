package dev.bulwark.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link DelegateProcessor} for a final subclass {@code <Name>Impl} of the annotated abstract class
 * that implements every method of {@link #value()} the class leaves abstract as
 * {@code throw refusal();}: the closed sentinels that a wrapper swaps in when it is closed.
 *
 * <p>The annotated class provides {@code SQLException refusal()}; every refused method must declare
 * {@code SQLException}.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface GenerateRefusals {

    /** The JDBC interface whose abstract methods are refused. */
    Class<?> value();
}
