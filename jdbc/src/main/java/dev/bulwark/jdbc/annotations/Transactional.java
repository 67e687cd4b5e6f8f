package dev.bulwark.jdbc.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated DAO method as one unit of work: a fresh transaction per attempt, rolled back on
 * failure, retried whole for transient, connection and read-only faults, committed at the end. Code in
 * the method that calls {@code dataSource.getConnection()} gets the unit's connection.
 *
 * <p>On an interface, applies to every method that is not annotated itself.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Transactional {

    /** Isolation level for the transaction; {@link Isolation#DEFAULT} keeps the driver's default. */
    Isolation isolation() default Isolation.DEFAULT;

    /** Whether the transaction is read-only (PostgreSQL and MySQL then refuse writes). */
    boolean readOnly() default false;

    /** Isolation levels, mirroring {@link java.sql.Connection}'s constants. */
    enum Isolation {
        DEFAULT(-1),
        READ_UNCOMMITTED(java.sql.Connection.TRANSACTION_READ_UNCOMMITTED),
        READ_COMMITTED(java.sql.Connection.TRANSACTION_READ_COMMITTED),
        REPEATABLE_READ(java.sql.Connection.TRANSACTION_REPEATABLE_READ),
        SERIALIZABLE(java.sql.Connection.TRANSACTION_SERIALIZABLE);

        private final int jdbcLevel;

        Isolation(int jdbcLevel) {
            this.jdbcLevel = jdbcLevel;
        }

        /** The {@link java.sql.Connection} constant, or {@code -1} for {@link #DEFAULT}. */
        public int jdbcLevel() {
            return jdbcLevel;
        }
    }
}
