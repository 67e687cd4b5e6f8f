package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultPoint;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The {@link java.lang.reflect.Proxy} behind a chaos Connection: wraps the statements it creates,
 * sends {@code commit} through the {@link Injector}, and passes every other method to the real
 * connection.
 *
 * <p>A JDK proxy rather than generated or hand-written delegates: the test kit is not on a hot path,
 * reflection costs nothing that matters in a test, and one small handler replaces some 250
 * delegating methods across Connection and the three statement interfaces, with no dependency.
 * The production wrappers in bulwark-jdbc are generated instead (see DESIGN.md).
 *
 * <p>Thread-safe as far as the real connection is.
 */
public final class ConnectionHandler implements InvocationHandler {

    private final Connection real;
    private final Injector injector;

    private ConnectionHandler(Connection real, Injector injector) {
        this.real = real;
        this.injector = injector;
    }

    /** A chaos Connection over {@code real}. */
    public static Connection wrap(Connection real, Injector injector) {
        return (Connection) Proxy.newProxyInstance(ConnectionHandler.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(real, injector));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "createStatement", "prepareStatement", "prepareCall" -> {
                Statement statement = (Statement) forward(method, args);
                String sql = method.getName().equals("createStatement") ? null : (String) args[0];
                return StatementHandler.wrap(method.getReturnType(), statement, sql, (Connection) proxy, real,
                        injector);
            }
            case "commit" -> {
                return injector.intercept(FaultPoint.COMMIT, null, real, () -> forward(method, args));
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
                return "ChaosConnection[" + real + "]";
            }
            default -> {
                return forward(method, args);
            }
        }
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        return invokeUnwrapped(real, method, args);
    }

    /** Invokes {@code method} on {@code target}, so the caller sees the target's own exception. */
    static Object invokeUnwrapped(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
