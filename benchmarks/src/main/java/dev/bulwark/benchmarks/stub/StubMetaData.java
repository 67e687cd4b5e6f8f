package dev.bulwark.benchmarks.stub;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * What a pool or Bulwark asks of the stub database's metadata: its name and versions; the rest is
 * refused (generated in {@code StubMetaDataImpl}). Immutable.
 */
@GenerateRefusals(DatabaseMetaData.class)
abstract class StubMetaData implements DatabaseMetaData {

    private final Connection connection;

    StubMetaData(Connection connection) {
        this.connection = connection;
    }

    static DatabaseMetaData of(Connection connection) {
        return new StubMetaDataImpl(connection);
    }

    final SQLException refusal() {
        return new SQLFeatureNotSupportedException("stub driver: not supported by StubMetaData");
    }

    @Override
    public final String getDatabaseProductName() {
        return "Stub";
    }

    @Override
    public final String getDatabaseProductVersion() {
        return "1.0";
    }

    @Override
    public final String getDriverName() {
        return "Bulwark stub driver";
    }

    @Override
    public final String getDriverVersion() {
        return "1.0";
    }

    @Override
    public final int getDriverMajorVersion() {
        return 1;
    }

    @Override
    public final int getDriverMinorVersion() {
        return 0;
    }

    @Override
    public final int getDatabaseMajorVersion() {
        return 1;
    }

    @Override
    public final int getDatabaseMinorVersion() {
        return 0;
    }

    @Override
    public final int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public final int getJDBCMinorVersion() {
        return 2;
    }

    @Override
    public final String getURL() {
        return StubDriver.PREFIX;
    }

    @Override
    public final Connection getConnection() {
        return connection;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("stub driver: StubMetaData does not wrap " + iface.getName());
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
