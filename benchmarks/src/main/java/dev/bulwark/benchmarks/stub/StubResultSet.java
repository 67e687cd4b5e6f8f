package dev.bulwark.benchmarks.stub;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A forward-only cursor over canned rows of three columns: {@code id BIGINT} (the row number),
 * {@code name VARCHAR} (a precomputed string) and {@code balance INTEGER}. Getters read preallocated
 * arrays, so the stub allocates nothing per row. Every other method is refused (generated in
 * {@code StubResultSetImpl}).
 *
 * <p>Not thread-safe, like a JDBC result set.
 */
@GenerateRefusals(ResultSet.class)
public abstract class StubResultSet implements ResultSet {

    /** The most rows a stub result set holds. */
    public static final int MAX_ROWS = 100_000;

    private static final String[] NAMES = new String[MAX_ROWS];
    private static final int[] BALANCES = new int[MAX_ROWS];

    static {
        for (int i = 0; i < MAX_ROWS; i++) {
            NAMES[i] = "account-" + (i + 1);
            BALANCES[i] = (i * 7919) % 100_000;
        }
    }

    private final Statement statement;
    private final int rows;
    private int row; // 1-based; 0 before the first
    private boolean closed;

    StubResultSet(Statement statement, int rows) {
        this.statement = statement;
        this.rows = rows;
    }

    static StubResultSet open(Statement statement, int rows) {
        return new StubResultSetImpl(statement, rows);
    }

    final SQLException refusal() {
        return new SQLFeatureNotSupportedException("stub driver: not supported by StubResultSet");
    }

    private int current(int column, int expected) throws SQLException {
        if (closed) {
            throw new SQLNonTransientException("stub driver: result set is closed", "24000");
        }
        if (row < 1 || row > rows) {
            throw new SQLNonTransientException("stub driver: no current row", "24000");
        }
        if (column != expected) {
            throw new SQLNonTransientException("stub driver: column " + column + " is not of this type", "07006");
        }
        return row - 1;
    }

    @Override
    public final boolean next() throws SQLException {
        if (closed) {
            throw new SQLNonTransientException("stub driver: result set is closed", "24000");
        }
        if (row <= rows) {
            row++;
        }
        return row <= rows;
    }

    @Override
    public final long getLong(int column) throws SQLException {
        return current(column, 1) + 1L;
    }

    @Override
    public final String getString(int column) throws SQLException {
        return NAMES[current(column, 2)];
    }

    @Override
    public final int getInt(int column) throws SQLException {
        return BALANCES[current(column, 3)];
    }

    @Override
    public final boolean wasNull() {
        return false;
    }

    @Override
    public final int getFetchSize() {
        return 0;
    }

    @Override
    public final void setFetchSize(int rows) {
        // the stub has every row in memory
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
    public final Statement getStatement() {
        return statement;
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
        throw new SQLException("stub driver: StubResultSet does not wrap " + iface.getName());
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public final String toString() {
        return "StubResultSet[row " + row + " of " + rows + "]";
    }
}
