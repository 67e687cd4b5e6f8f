package dev.bulwark.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shorthand for {@code @ExtendWith(BulwarkTestExtension.class)}: test methods and constructors of
 * the annotated class may take {@link TestDatabase} and {@link ChaosDataSource} parameters.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(BulwarkTestExtension.class)
public @interface BulwarkTest {
}
