package dev.bulwark.jdbc.internal;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.annotations.Idempotent;
import dev.bulwark.jdbc.annotations.Retry;
import dev.bulwark.jdbc.annotations.Timeout;
import dev.bulwark.jdbc.annotations.Transactional;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies the DAO annotations around each interface method. The plan of every method is worked out once,
 * when the DAO is created, so a call costs one map lookup plus the unit of work itself.
 */
public final class DaoInvocationHandler implements InvocationHandler {

    private enum Mode { PLAIN, TRANSACTION, AUTOCOMMIT }

    /** How to run one method; {@code target} is the accessible method to call on the implementation. */
    private record Plan(Mode mode, TransactionOptions options, Method target) {
    }

    private final Object target;
    private final BulwarkDataSource dataSource;
    private final Map<Method, Plan> plans;

    private DaoInvocationHandler(Object target, BulwarkDataSource dataSource, Map<Method, Plan> plans) {
        this.target = target;
        this.dataSource = dataSource;
        this.plans = plans;
    }

    /**
     * Creates the handler, checking every annotated method at once.
     *
     * @throws IllegalArgumentException naming the method when an annotated method does not declare
     *                                  {@code throws SQLException} or an annotation has a bad value
     */
    public static DaoInvocationHandler create(Class<?> daoInterface, Object target, BulwarkDataSource dataSource) {
        Map<Method, Plan> plans = new HashMap<>();
        for (Method m : daoInterface.getMethods()) {
            // DAO interfaces are often package-private; the proxy must still reach the implementation.
            if (!Modifier.isPublic(daoInterface.getModifiers()) && !m.trySetAccessible()) {
                throw new IllegalArgumentException("cannot call " + daoInterface.getSimpleName() + "." + m.getName()
                        + " reflectively; make the interface public or open its package to dev.bulwark.jdbc");
            }
            plans.put(m, plan(daoInterface, m));
        }
        return new DaoInvocationHandler(target, dataSource, Map.copyOf(plans));
    }

    private static Plan plan(Class<?> type, Method m) {
        Transactional tx = annotation(type, m, Transactional.class);
        Retry retry = annotation(type, m, Retry.class);
        Timeout timeout = annotation(type, m, Timeout.class);
        boolean idempotent = annotation(type, m, Idempotent.class) != null;
        if (tx == null && retry == null && timeout == null && !idempotent) {
            return new Plan(Mode.PLAIN, null, m);
        }
        String where = type.getSimpleName() + "." + m.getName();
        if (!declaresSqlException(m)) {
            throw new IllegalArgumentException(where + " is annotated for Bulwark but does not declare "
                    + "'throws SQLException', so a database failure could not reach its caller as itself");
        }
        TransactionOptions.Builder b = TransactionOptions.builder().withIdempotent(idempotent);
        try {
            if (tx != null) {
                if (tx.isolation() != Transactional.Isolation.DEFAULT) {
                    b.withIsolation(tx.isolation().jdbcLevel());
                }
                b.withReadOnly(tx.readOnly());
            }
            if (retry != null) {
                b.withMaxAttempts(retry.maxAttempts());
            }
            if (timeout != null) {
                b.withDeadline(Duration.of(timeout.value(), timeout.unit().toChronoUnit()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        return new Plan(tx != null ? Mode.TRANSACTION : Mode.AUTOCOMMIT, b.build(), m);
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> type, Method m, Class<A> a) {
        A onMethod = m.getAnnotation(a);
        return onMethod != null ? onMethod : type.getAnnotation(a);
    }

    private static boolean declaresSqlException(Method m) {
        for (Class<?> t : m.getExceptionTypes()) {
            if (t.isAssignableFrom(SQLException.class)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "Bulwark DAO over " + target;
                default -> method.invoke(target, args);
            };
        }
        Plan plan = plans.get(method);
        try {
            return switch (plan.mode()) {
                case PLAIN -> call(plan.target(), args);
                case TRANSACTION -> dataSource.inTransaction(plan.options(), c -> callForUnit(plan.target(), args));
                case AUTOCOMMIT -> dataSource.inAutoCommit(plan.options(), c -> callForUnit(plan.target(), args));
            };
        } catch (DaoCheckedException e) {
            throw e.getCause(); // the DAO's own checked exception, declared by the method
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Inside a unit: SQLExceptions go to the unit (classified, maybe retried); anything else as itself. */
    private Object callForUnit(Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new DaoCheckedException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on " + target.getClass().getName(), e);
        }
    }

    /** Carries a DAO method's own checked exception through the unit of work unchanged. */
    static final class DaoCheckedException extends RuntimeException {
        DaoCheckedException(Throwable cause) {
            super(cause);
        }
    }
}
