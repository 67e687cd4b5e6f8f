package dev.bulwark.jdbc.internal.wrapper;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Wrapper;
import java.util.Objects;

/**
 * Creates connection wrappers; everything reached from one (statements, result sets, metadata) is
 * wrapped by it in turn.
 *
 * <pre>{@code
 * Connection app = Wrappers.wrap(pool.getConnection(), hooks);
 * }</pre>
 *
 * <p>Thread-safe; holds no state.
 */
public final class Wrappers {

    private Wrappers() {
    }

    /**
     * Wraps a connection. Closing the wrapper closes the statements opened through it, then
     * {@code connection} (which returns a pooled connection to its pool).
     *
     * @param connection the pool's or the driver's connection
     * @param hooks the hooks of the data source this connection belongs to; {@link JdbcHooks#NONE} for none
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code connection} is already a Bulwark wrapper
     */
    public static ConnectionWrapper wrap(Connection connection, JdbcHooks hooks) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(hooks, "hooks");
        if (connection instanceof ConnectionWrapper) {
            throw new IllegalArgumentException("connection is already wrapped by Bulwark: " + connection);
        }
        return new ConnectionWrapperImpl(connection, hooks);
    }

    /**
     * {@link Wrapper#unwrap} for a wrapper: itself, then its delegate, then the delegate's chain. Asks
     * {@code isWrapperFor} before {@code unwrap}, so a driver that fails otherwise (sqlite-jdbc throws
     * ClassCastException) still gives the SQLException JDBC promises.
     */
    static <T> T unwrap(Wrapper self, Wrapper delegate, Class<T> iface) throws SQLException {
        if (iface.isInstance(self)) {
            return iface.cast(self);
        }
        if (!(delegate instanceof ClosedSentinel) && iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        if (delegate.isWrapperFor(iface)) {
            return delegate.unwrap(iface);
        }
        throw new SQLException(self.getClass().getSuperclass().getSimpleName() + " does not wrap " + iface.getName());
    }

    /** {@link Wrapper#isWrapperFor} for a wrapper, with the same order as {@link #unwrap}. */
    static boolean isWrapperFor(Wrapper self, Wrapper delegate, Class<?> iface) throws SQLException {
        return iface.isInstance(self)
                || !(delegate instanceof ClosedSentinel) && iface.isInstance(delegate)
                || delegate.isWrapperFor(iface);
    }
}
