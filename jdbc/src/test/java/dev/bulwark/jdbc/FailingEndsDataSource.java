package dev.bulwark.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a DataSource so that, when armed, the next {@code rollback()} fails without rolling back (SQLState
 * 08006, the transaction stays open on the server, as when the rollback's packet is lost) and the next
 * {@code close()} throws a RuntimeException after the connection was really closed (a buggy pool or proxy).
 * The testkit's ChaosDataSource injects at acquire, execute and commit only; these two ends of a transaction
 * are what this adds. Thread-safe; each arming fires once.
 */
final class FailingEndsDataSource implements DataSource {

    /** What a failed close throws. */
    static final class CloseFailure extends RuntimeException {
        CloseFailure() {
            super("injected: close() failed after the connection was closed");
        }
    }

    private final DataSource target;
    private final AtomicBoolean failRollback = new AtomicBoolean();
    private final AtomicBoolean failClose = new AtomicBoolean();

    FailingEndsDataSource(DataSource target) {
        this.target = target;
    }

    void failNextRollback() {
        failRollback.set(true);
    }

    void failNextClose() {
        failClose.set(true);
    }

    void disarm() {
        failRollback.set(false);
        failClose.set(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection real) {
        InvocationHandler handler = (proxy, method, args) -> intercept(real, method, args);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private Object intercept(Connection real, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("rollback") && (args == null || args.length == 0) && failRollback.compareAndSet(true, false)) {
            throw new SQLNonTransientConnectionException("injected: rollback failed, the transaction is still open",
                    "08006");
        }
        if (name.equals("close") && failClose.compareAndSet(true, false)) {
            real.close();
            throw new CloseFailure();
        }
        if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(real)) {
            return real;
        }
        if (name.equals("isWrapperFor") && ((Class<?>) args[0]).isInstance(real)) {
            return true;
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(target) || target.isWrapperFor(iface);
    }
}
