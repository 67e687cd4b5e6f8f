package dev.bulwark.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link BulwarkTestExtension} for a fresh MariaDB database: on a {@link TestDatabase} parameter, the
 * database itself; on a {@link ChaosDataSource} parameter (with {@link Chaos}), the database it wraps.
 *
 * <p>Within one test all parameters annotated {@code @MariaDb} share one database, created before the
 * test and dropped after it. See {@link TestDatabases#mariadb()} for how the server is found.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MariaDb {
}
