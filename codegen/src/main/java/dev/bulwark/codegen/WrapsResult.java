package dev.bulwark.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a one-argument method {@code T wrap(T)} of a {@link GenerateDelegates} class: every generated
 * delegate whose return type is exactly {@code T} returns {@code wrap(delegate.m(...))} instead of the
 * delegate's result (for example every {@code DatabaseMetaData} method that returns a {@code ResultSet}).
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface WrapsResult {
}
