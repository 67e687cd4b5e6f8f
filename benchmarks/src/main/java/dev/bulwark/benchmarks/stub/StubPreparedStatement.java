package dev.bulwark.benchmarks.stub;

import dev.bulwark.codegen.GenerateRefusals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientException;
import java.sql.SQLWarning;
import java.sql.Timestamp;

/**
 * A stub prepared statement (also serving as the plain statement): the common setters record only
 * how many parameters were bound, {@code executeQuery} returns a {@link StubResultSet} over the
 * connection's canned rows, {@code executeUpdate} reports one row. Every other method is refused
 * (generated in {@code StubPreparedStatementImpl}).
 *
 * <p>Not thread-safe, like a JDBC statement.
 */
@GenerateRefusals(PreparedStatement.class)
public abstract class StubPreparedStatement implements PreparedStatement {

    private final Connection connection;
    private final String sql;
    private final int rows;
    private boolean closed;
    private int queryTimeout;
    private int fetchSize;
    private int maxRows;
    private int bound;
    private final Object[] values = new Object[16];
    private final long[] numbers = new long[16];
    private int batched;

    StubPreparedStatement(Connection connection, String sql, int rows) {
        this.connection = connection;
        this.sql = sql;
        this.rows = rows;
    }

    static StubPreparedStatement open(Connection connection, String sql, int rows) {
        return new StubPreparedStatementImpl(connection, sql, rows);
    }

    final SQLException refusal() {
        return new SQLFeatureNotSupportedException("stub driver: not supported by StubPreparedStatement");
    }

    /** The number of parameters bound since the last clearParameters (setting one twice counts twice). */
    public final int boundParameters() {
        return bound;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLNonTransientException("stub driver: statement is closed", "HY010");
        }
    }

    /** Keeps a bound value, as a driver would until execute (numbers unboxed, as drivers keep them). */
    private void bind(int index, Object value, long number) throws SQLException {
        checkOpen();
        if (index < 1 || index > values.length) {
            throw new SQLNonTransientException("stub driver: parameter index " + index + " out of 1.."
                    + values.length, "07009");
        }
        values[index - 1] = value;
        numbers[index - 1] = number;
        bound++;
    }

    // ---- execution ----

    @Override
    public final ResultSet executeQuery() throws SQLException {
        checkOpen();
        return StubResultSet.open(this, rows);
    }

    @Override
    public final ResultSet executeQuery(String ignored) throws SQLException {
        return executeQuery();
    }

    @Override
    public final int executeUpdate() throws SQLException {
        checkOpen();
        return 1;
    }

    @Override
    public final int executeUpdate(String ignored) throws SQLException {
        return executeUpdate();
    }

    @Override
    public final boolean execute() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public final boolean execute(String ignored) throws SQLException {
        return execute();
    }

    @Override
    public final void addBatch() throws SQLException {
        checkOpen();
        batched++;
    }

    @Override
    public final int[] executeBatch() throws SQLException {
        checkOpen();
        int[] counts = new int[batched];
        java.util.Arrays.fill(counts, 1);
        batched = 0;
        return counts;
    }

    @Override
    public final void clearBatch() {
        batched = 0;
    }

    @Override
    public final int getUpdateCount() {
        return -1;
    }

    @Override
    public final ResultSet getResultSet() {
        return null;
    }

    @Override
    public final boolean getMoreResults() {
        return false;
    }

    // ---- parameters ----

    @Override
    public final void setInt(int index, int value) throws SQLException {
        bind(index, null, value);
    }

    @Override
    public final void setLong(int index, long value) throws SQLException {
        bind(index, null, value);
    }

    @Override
    public final void setString(int index, String value) throws SQLException {
        bind(index, value, 0);
    }

    @Override
    public final void setBoolean(int index, boolean value) throws SQLException {
        bind(index, null, value ? 1 : 0);
    }

    @Override
    public final void setDouble(int index, double value) throws SQLException {
        bind(index, null, Double.doubleToRawLongBits(value));
    }

    @Override
    public final void setBigDecimal(int index, BigDecimal value) throws SQLException {
        bind(index, value, 0);
    }

    @Override
    public final void setTimestamp(int index, Timestamp value) throws SQLException {
        bind(index, value, 0);
    }

    @Override
    public final void setNull(int index, int sqlType) throws SQLException {
        bind(index, null, sqlType);
    }

    @Override
    public final void setObject(int index, Object value) throws SQLException {
        bind(index, value, 0);
    }

    @Override
    public final void clearParameters() {
        java.util.Arrays.fill(values, null);
        bound = 0;
    }

    // ---- settings ----

    @Override
    public final void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        queryTimeout = seconds;
    }

    @Override
    public final int getQueryTimeout() {
        return queryTimeout;
    }

    @Override
    public final void setFetchSize(int value) {
        fetchSize = value;
    }

    @Override
    public final int getFetchSize() {
        return fetchSize;
    }

    @Override
    public final void setMaxRows(int value) {
        maxRows = value;
    }

    @Override
    public final int getMaxRows() {
        return maxRows;
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
    public final Connection getConnection() {
        return connection;
    }

    @Override
    public final void close() {
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
        throw new SQLException("stub driver: StubPreparedStatement does not wrap " + iface.getName());
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public final String toString() {
        return "StubPreparedStatement[" + sql + "]";
    }
}
