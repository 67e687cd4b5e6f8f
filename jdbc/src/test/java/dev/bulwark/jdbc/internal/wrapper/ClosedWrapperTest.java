package dev.bulwark.jdbc.internal.wrapper;

import static dev.bulwark.jdbc.internal.wrapper.GeneratedDelegationTest.instanceMethods;
import static dev.bulwark.jdbc.internal.wrapper.GeneratedDelegationTest.sampleArguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.Boundary;
import dev.bulwark.jdbc.internal.wrapper.RecordingDriver.Recorder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After close, every method of every wrapper fails with the documented SQLState, without reaching the
 * driver or the exception hook (the generated closed sentinels); double close is a no-op. The driver is
 * a recording JDK proxy (test only); the same rules are checked on real databases in {@code WrappersIT}.
 */
class ClosedWrapperTest {

    private final RecordingHooks hooks = new RecordingHooks();
    private final ConnectionWrapper connection = Wrappers.wrap(RecordingDriver.stub(Connection.class), hooks);

    @Test
    void everyConnectionMethodFailsWith08003AfterClose() throws Exception {
        Recorder driver = RecordingDriver.recorderOf(connection);
        connection.close();
        connection.close();

        assertThat(driver.calls).filteredOn(c -> c.method().getName().equals("close")).hasSize(1);
        assertThat(hooks.boundaries).extracting(RecordingHooks.Crossed::boundary).containsExactly(Boundary.CLOSE);
        assertThat(connection.isClosed()).isTrue();
        assertThat(connection.isValid(1)).isFalse();
        int driverCalls = driver.calls.size();
        assertRefusesEverything(connection, Connection.class, "08003",
                Set.of("close", "abort", "isClosed", "isValid"));
        assertThat(driver.calls).as("nothing reached the driver after close").hasSize(driverCalls);
        assertThatThrownBy(() -> connection.setClientInfo("a", "b"))
                .isInstanceOf(SQLClientInfoException.class).hasFieldOrPropertyWithValue("SQLState", "08003");
        assertThat(connection.unwrap(Connection.class)).as("the wrapper itself is still itself").isSameAs(connection);
    }

    @Test
    void closingTheConnectionClosesItsStatementsAndTheirResultSets() throws Exception {
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("SELECT ?");
        CallableStatement callable = connection.prepareCall("{call p(?)}");
        ResultSet resultSet = prepared.executeQuery();
        Recorder driverStatement = RecordingDriver.recorderOf(statement);
        Recorder driverResultSet = RecordingDriver.recorderOf(resultSet);

        connection.close();

        assertThat(driverStatement.calls).extracting(c -> c.method().getName()).containsExactly("close");
        assertThat(driverResultSet.calls).as("the driver closes a result set with its statement").isEmpty();
        for (Statement each : new Statement[] {statement, prepared, callable}) {
            assertThat(each.isClosed()).isTrue();
        }
        assertThat(resultSet.isClosed()).isTrue();
        assertRefusesEverything(statement, Statement.class, "HY010", Set.of("close", "isClosed"));
        assertRefusesEverything(prepared, PreparedStatement.class, "HY010", Set.of("close", "isClosed"));
        assertRefusesEverything(callable, CallableStatement.class, "HY010", Set.of("close", "isClosed"));
        assertRefusesEverything(resultSet, ResultSet.class, "24000", Set.of("close", "isClosed"));
    }

    @Test
    void closingAStatementUntracksItAndClosesItOnce() throws Exception {
        Statement statement = connection.createStatement();
        Recorder driverStatement = RecordingDriver.recorderOf(statement);
        statement.close();
        statement.close();
        connection.close();

        assertThat(driverStatement.calls).extracting(c -> c.method().getName()).containsExactly("close");
        assertThatThrownBy(statement::getConnection).isInstanceOf(SQLNonTransientException.class)
                .hasFieldOrPropertyWithValue("SQLState", "HY010").hasMessage("statement is closed");
    }

    @Test
    void reExecutingAStatementDetachesItsPreviousResultSet() throws Exception {
        Statement statement = connection.createStatement();
        ResultSet first = statement.executeQuery("SELECT 1");
        ResultSet second = statement.executeQuery("SELECT 2");

        assertThatThrownBy(first::next).hasFieldOrPropertyWithValue("SQLState", "24000");
        assertThat(second.next()).isFalse();
        assertThat(second.isClosed()).isFalse();
    }

    @Test
    void aDriverFailureWhileClosingGoesThroughTheHookAndStillClosesTheWrapper() throws Exception {
        Statement statement = connection.createStatement();
        SQLException failure = new SQLException("close failed", "08006");
        RecordingDriver.recorderOf(statement).failNext(failure);

        Throwable thrown = catchThrowable(connection::close);

        assertThat(thrown).hasCause(failure);
        assertThat((Object) hooks.exceptions.get(0).exception()).isSameAs(failure);
        assertThat(hooks.exceptions.get(0).context()).isSameAs(statement);
        assertThat(connection.isClosed()).isTrue();
        assertThat(statement.isClosed()).isTrue();
    }

    @Test
    void abortClosesTheWrapperWithoutClosingStatementsOneByOne() throws Exception {
        Statement statement = connection.createStatement();
        Recorder driverStatement = RecordingDriver.recorderOf(statement);
        Recorder driver = RecordingDriver.recorderOf(connection);

        connection.abort(Runnable::run);
        connection.abort(Runnable::run);

        assertThat(driver.calls).filteredOn(c -> c.method().getName().equals("abort")).hasSize(1);
        assertThat(driverStatement.calls).isEmpty();
        assertThat(statement.isClosed()).isTrue();
        assertThatThrownBy(connection::createStatement).hasFieldOrPropertyWithValue("SQLState", "08003");
    }

    @Test
    void aBoundaryHookCanRefuseCommitWithoutReachingTheDriver() throws Exception {
        SQLException refusal = new SQLException("lent connection: the unit of work commits", "25000");
        ConnectionWrapper lent = Wrappers.wrap(RecordingDriver.stub(Connection.class), new JdbcHooks() {
            @Override
            public void aroundBoundary(ConnectionWrapper c, Boundary boundary, SqlAction action) throws SQLException {
                if (boundary != Boundary.DISABLE_AUTO_COMMIT) {
                    throw refusal;
                }
                action.run();
            }
        });
        Recorder driver = RecordingDriver.recorderOf(lent);

        assertThatThrownBy(lent::commit).isSameAs(refusal);
        assertThatThrownBy(lent::rollback).isSameAs(refusal);
        assertThatThrownBy(() -> lent.setAutoCommit(true)).isSameAs(refusal);
        assertThatThrownBy(lent::close).isSameAs(refusal);
        lent.setAutoCommit(false);

        assertThat(driver.calls).extracting(c -> c.method().getName() + c.args()[0])
                .containsExactly("setAutoCommitfalse");
        assertThat(lent.isClosed()).isFalse();
    }

    private void assertRefusesEverything(Wrapper wrapper, Class<?> iface, String sqlState, Set<String> allowed)
            throws Exception {
        int seen = hooks.exceptions.size();
        for (Method method : instanceMethods(iface)) {
            if (allowed.contains(method.getName())
                    || method.getExceptionTypes().length == 0
                    || method.getName().equals("setClientInfo")) {
                continue;
            }
            Throwable thrown = catchThrowable(() -> method.invoke(wrapper, sampleArguments(method)));
            assertThat(thrown).as(method.toString()).isInstanceOf(InvocationTargetException.class);
            SQLException refusal = (SQLException) thrown.getCause();
            assertThat(refusal.getSQLState()).as(method.toString()).isEqualTo(sqlState);
            assertThat((Object) refusal).isInstanceOf(sqlState.startsWith("08")
                    ? SQLNonTransientConnectionException.class : SQLNonTransientException.class);
        }
        assertThat(hooks.exceptions).as("closed refusals are not reported to the hook").hasSize(seen);
    }
}
