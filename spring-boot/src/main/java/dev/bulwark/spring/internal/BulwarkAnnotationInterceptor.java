package dev.bulwark.spring.internal;

import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.annotations.Idempotent;
import dev.bulwark.jdbc.annotations.Retry;
import dev.bulwark.jdbc.annotations.Timeout;
import dev.bulwark.jdbc.annotations.Transactional;
import dev.bulwark.spring.BulwarkTransactions;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Applies Bulwark's annotations ({@link Transactional}, {@link Retry}, {@link Timeout}, {@link Idempotent}) to
 * Spring beans, as {@code Bulwark.dao} does to DAO interfaces: a method with {@code @Transactional} (on it or
 * its class) runs as a unit of work, retried whole; with only the others, as an autocommit unit. Each attempt
 * proceeds down a fresh copy of the interceptor chain, so Spring's transaction interceptor, ordered inside this
 * one, begins (or joins) a transaction per attempt. Failures reach the caller as the method declares them: an
 * {@link SQLException} if it declares one, else Spring's {@code DataAccessException}.
 *
 * <p>Thread-safe; each method's options are worked out once.
 */
public final class BulwarkAnnotationInterceptor implements MethodInterceptor {

    private record Plan(boolean transactional, TransactionOptions options, boolean declaresSqlException) {
    }

    private final ObjectProvider<BulwarkTransactions> transactions;
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

    /** An interceptor running units on the single {@link BulwarkTransactions} bean, looked up on first call. */
    public BulwarkAnnotationInterceptor(ObjectProvider<BulwarkTransactions> transactions) {
        this.transactions = transactions;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis()) : null;
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        Plan plan = plans.computeIfAbsent(method, m -> plan(m, targetClass));
        if (plan == null) {
            return invocation.proceed();
        }
        BulwarkTransactions tx = transactions.getObject();
        try {
            return SpringUnit.run(tx.dataSource(), plan.options(), plan.transactional(), () -> attempt(invocation));
        } catch (SQLException e) {
            if (plan.declaresSqlException()) {
                throw e;
            }
            throw tx.translate(e);
        }
    }

    /** One attempt down a fresh copy of the rest of the chain (a spent invocation cannot proceed twice). */
    private static Object attempt(MethodInvocation invocation) throws Throwable {
        if (invocation instanceof ProxyMethodInvocation proxied) {
            return proxied.invocableClone().proceed();
        }
        return invocation.proceed();
    }

    private static Plan plan(Method method, Class<?> targetClass) {
        Transactional tx = find(method, targetClass, Transactional.class);
        Retry retry = find(method, targetClass, Retry.class);
        Timeout timeout = find(method, targetClass, Timeout.class);
        boolean idempotent = find(method, targetClass, Idempotent.class) != null;
        if (tx == null && retry == null && timeout == null && !idempotent) {
            return null;
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
            throw new IllegalArgumentException(method.getDeclaringClass().getSimpleName() + "." + method.getName()
                    + ": " + e.getMessage(), e);
        }
        boolean declaresSql = false;
        for (Class<?> t : method.getExceptionTypes()) {
            declaresSql |= t.isAssignableFrom(SQLException.class);
        }
        return new Plan(tx != null, b.build(), declaresSql);
    }

    private static <A extends Annotation> A find(Method method, Class<?> targetClass, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (onMethod != null || targetClass == null) {
            return onMethod;
        }
        return AnnotatedElementUtils.findMergedAnnotation(targetClass, type);
    }
}
