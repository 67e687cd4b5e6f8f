package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultPoint;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link java.lang.reflect.Proxy} behind a chaos Statement, PreparedStatement or
 * CallableStatement: sends the execute methods through the {@link Injector} with their SQL text,
 * returns the chaos Connection from {@code getConnection()}, and passes every other method to the
 * real statement. See {@link ConnectionHandler} for why a JDK proxy.
 *
 * <p>Thread-safe as far as the real statement is.
 */
final class StatementHandler implements InvocationHandler {

    private final Statement real;
    private final String preparedSql;
    private final Connection chaosConnection;
    private final Connection realConnection;
    private final Injector injector;
    private final List<String> batch = new ArrayList<>();

    private StatementHandler(Statement real, String preparedSql, Connection chaosConnection,
                             Connection realConnection, Injector injector) {
        this.real = real;
        this.preparedSql = preparedSql;
        this.chaosConnection = chaosConnection;
        this.realConnection = realConnection;
        this.injector = injector;
    }

    static Statement wrap(Class<?> iface, Statement real, String preparedSql, Connection chaosConnection,
                          Connection realConnection, Injector injector) {
        return (Statement) Proxy.newProxyInstance(StatementHandler.class.getClassLoader(), new Class<?>[] {iface},
                new StatementHandler(real, preparedSql, chaosConnection, realConnection, injector));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.startsWith("execute")) {
            String sql = sqlOf(name, args);
            return injector.intercept(FaultPoint.EXECUTE, sql, realConnection, () -> forward(method, args));
        }
        switch (name) {
            case "addBatch" -> {
                if (args != null && args.length == 1 && args[0] instanceof String sql) {
                    synchronized (batch) {
                        batch.add(sql);
                    }
                }
                return forward(method, args);
            }
            case "clearBatch" -> {
                clearBatch();
                return forward(method, args);
            }
            case "getConnection" -> {
                return chaosConnection;
            }
            case "unwrap" -> {
                Class<?> iface = (Class<?>) args[0];
                return iface.isInstance(proxy) ? proxy : forward(method, args);
            }
            case "isWrapperFor" -> {
                Class<?> iface = (Class<?>) args[0];
                return iface.isInstance(proxy) || (Boolean) forward(method, args);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "ChaosStatement[" + real + "]";
            }
            default -> {
                return forward(method, args);
            }
        }
    }

    private String sqlOf(String name, Object[] args) {
        if (args != null && args.length > 0 && args[0] instanceof String sql) {
            return sql;
        }
        if (name.contains("Batch") && preparedSql == null) {
            // executeBatch empties the batch, whether it succeeds or not
            synchronized (batch) {
                String joined = String.join(";\n", batch);
                batch.clear();
                return joined;
            }
        }
        return preparedSql;
    }

    private void clearBatch() {
        synchronized (batch) {
            batch.clear();
        }
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        return ConnectionHandler.invokeUnwrapped(real, method, args);
    }
}
