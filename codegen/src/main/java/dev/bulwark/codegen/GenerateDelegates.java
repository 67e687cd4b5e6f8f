package dev.bulwark.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link DelegateProcessor} for a final subclass {@code <Name>Impl} of the annotated abstract class
 * that implements every method of {@link #value()} the class leaves abstract as
 * {@code try { return delegate.m(p0, ...); } catch (SQLException e) { throw checkException(e); }}.
 *
 * <p>The annotated class provides a field named {@code delegate} whose type has
 * the interface's methods, and {@code SQLException checkException(SQLException)}. A single type
 * parameter of the annotated class is bound to {@link #value()} in the generated subclass.
 *
 * <p>Methods named in {@link #watched()} may wait for the database (a round trip): their delegation is
 * bracketed by the class's {@code enterCall()} and {@code exitCall()}, which it then provides.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface GenerateDelegates {

    /** The JDBC interface whose abstract methods are delegated. */
    Class<?> value();

    /**
     * Names of the interface's methods that may wait for the database, generated as
     * {@code enterCall(); try { ... } finally { exitCall(); }}; {@code "*"} names every method.
     */
    String[] watched() default {};
}
