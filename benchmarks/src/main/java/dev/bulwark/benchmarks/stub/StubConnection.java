package dev.bulwark.benchmarks.stub;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A stub connection: remembers its settings, counts commits and rollbacks, prepares
 * {@link StubPreparedStatement}s; every other method is refused (generated in {@code StubConnectionImpl}).
 *
 * <p>Not thread-safe, like a JDBC connection.
 */
@GenerateRefusals(Connection.class)
public abstract class StubConnection implements Connection {

    private final int rows;
    private boolean autoCommit = true;
    private boolean readOnly;
    private boolean closed;
    private int isolation = TRANSACTION_READ_COMMITTED;
    private int networkTimeout;
    private String catalog = "stub";
    private String schema = "public";
    private long commits;
    private long rollbacks;

    StubConnection(int rows) {
        this.rows = rows;
    }

    static StubConnection open(int rows) {
        return new StubConnectionImpl(rows);
    }

    final SQLException refusal() {
        return new SQLFeatureNotSupportedException("stub driver: not supported by StubConnection");
    }

    /** Commits so far (also counted in autocommit mode, where a real driver would throw). */
    public final long commits() {
        return commits;
    }

    /** Rollbacks so far. */
    public final long rollbacks() {
        return rollbacks;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLNonTransientConnectionException("stub driver: connection is closed", "08003");
        }
    }

    @Override
    public final PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return StubPreparedStatement.open(this, sql, rows);
    }

    @Override
    public final PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public final Statement createStatement() throws SQLException {
        return prepareStatement(null);
    }

    @Override
    public final void commit() throws SQLException {
        checkOpen();
        commits++;
    }

    @Override
    public final void rollback() throws SQLException {
        checkOpen();
        rollbacks++;
    }

    @Override
    public final void setAutoCommit(boolean value) throws SQLException {
        checkOpen();
        autoCommit = value;
    }

    @Override
    public final boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public final void setReadOnly(boolean value) {
        readOnly = value;
    }

    @Override
    public final boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public final void setTransactionIsolation(int level) {
        isolation = level;
    }

    @Override
    public final int getTransactionIsolation() {
        return isolation;
    }

    @Override
    public final void setCatalog(String value) {
        catalog = value;
    }

    @Override
    public final String getCatalog() {
        return catalog;
    }

    @Override
    public final void setSchema(String value) {
        schema = value;
    }

    @Override
    public final String getSchema() {
        return schema;
    }

    @Override
    public final void setNetworkTimeout(Executor executor, int milliseconds) {
        networkTimeout = milliseconds;
    }

    @Override
    public final int getNetworkTimeout() {
        return networkTimeout;
    }

    @Override
    public final boolean isValid(int timeout) {
        return !closed;
    }

    @Override
    public final SQLWarning getWarnings() {
        return null;
    }

    @Override
    public final void clearWarnings() {
        // no warnings are ever raised
    }

    @Override
    public final DatabaseMetaData getMetaData() {
        return StubMetaData.of(this);
    }

    @Override
    public final void setClientInfo(String name, String value) throws SQLClientInfoException {
        throw clientInfoRefusal();
    }

    @Override
    public final void setClientInfo(Properties properties) throws SQLClientInfoException {
        throw clientInfoRefusal();
    }

    private static SQLClientInfoException clientInfoRefusal() {
        Map<String, ClientInfoStatus> none = Map.of();
        return new SQLClientInfoException("stub driver: no client info", "0A000", 0, none);
    }

    @Override
    public final void close() {
        closed = true;
    }

    @Override
    public final void abort(Executor executor) {
        closed = true;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("stub driver: StubConnection does not wrap " + iface.getName());
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public final String toString() {
        return "StubConnection[rows=" + rows + (closed ? ", closed" : "") + "]";
    }
}
