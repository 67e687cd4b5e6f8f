package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateDelegates;
import java.sql.CallableStatement;

/**
 * The application's view of a callable statement. Nothing of {@link CallableStatement} itself has
 * behaviour: its methods are all generated in {@code CallableStatementWrapperImpl}; execution and
 * closing are inherited.
 *
 * <p>Thread safety as for a JDBC callable statement.
 */
@GenerateDelegates(value = CallableStatement.class, watched = {"getMoreResults", "getGeneratedKeys", "getMetaData",
        "getParameterMetaData"})
public abstract class CallableStatementWrapper extends PreparedStatementWrapper<CallableStatement>
        implements CallableStatement {

    CallableStatementWrapper(ConnectionWrapper connection, CallableStatement delegate, String sql) {
        super(connection, delegate, sql);
    }
}
