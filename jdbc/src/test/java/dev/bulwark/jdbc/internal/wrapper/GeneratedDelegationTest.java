package dev.bulwark.jdbc.internal.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.jdbc.internal.wrapper.RecordingDriver.Call;
import dev.bulwark.jdbc.internal.wrapper.RecordingDriver.Recorder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every instance method (abstract or default) of the six wrapped interfaces is implemented by the
 * generated classes, forwards to the driver with its arguments, and routes the driver's SQLException
 * through the exception hook.
 * The driver here is a recording JDK proxy (test only); real drivers are exercised in {@code WrappersIT}.
 */
class GeneratedDelegationTest {

    /**
     * Methods with behaviour that do not forward as called: they answer from the wrapper, end the
     * wrapper (tested in ClosedWrapperTest), or, for unwrap, ask isWrapperFor first (tested below).
     */
    private static final Set<String> NOT_FORWARDED = Set.of("close", "abort", "getConnection", "getStatement",
            "unwrap");

    private static final Set<Class<?>> WRAPPED_RESULTS = Set.of(Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

    static Stream<Arguments> wrappedTypes() {
        return Stream.of(
                Arguments.of(Connection.class, ConnectionWrapperImpl.class),
                Arguments.of(Statement.class, StatementWrapperImpl.class),
                Arguments.of(PreparedStatement.class, PreparedStatementWrapperImpl.class),
                Arguments.of(CallableStatement.class, CallableStatementWrapperImpl.class),
                Arguments.of(ResultSet.class, ResultSetWrapperImpl.class),
                Arguments.of(DatabaseMetaData.class, DatabaseMetaDataWrapperImpl.class));
    }

    @ParameterizedTest
    @MethodSource("wrappedTypes")
    void generatedClassImplementsEveryInterfaceMethodIncludingDefaults(Class<?> iface, Class<?> generated) throws Exception {
        assertThat(Modifier.isFinal(generated.getModifiers())).isTrue();
        for (Method method : instanceMethods(iface)) {
            Method implementation = generated.getMethod(method.getName(), method.getParameterTypes());
            assertThat(Modifier.isAbstract(implementation.getModifiers())).as(method.toString()).isFalse();
            assertThat(implementation.getDeclaringClass().isInterface())
                    .as("%s is the driver's, not the interface's default", method).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("wrappedTypes")
    void everyMethodForwardsItsArgumentsAndRoutesSqlExceptionsThroughTheHook(Class<?> iface, Class<?> generated)
            throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        ConnectionWrapper connection = Wrappers.wrap(RecordingDriver.stub(Connection.class), hooks);
        Wrapper wrapper = wrapperOf(iface, connection);
        assertThat(wrapper).isInstanceOf(generated);
        Recorder driver = RecordingDriver.recorderOf(wrapper);
        List<String> forwarded = new ArrayList<>();
        for (Method method : instanceMethods(iface)) {
            if (NOT_FORWARDED.contains(method.getName())) {
                continue;
            }
            Object[] args = sampleArguments(method);
            Object result = method.invoke(wrapper, args);
            Call call = driver.lastCall();
            assertThat(call).as(method.toString()).isNotNull();
            assertThat(call.is(method, args)).as("forwarded " + method + " with its arguments").isTrue();
            if (WRAPPED_RESULTS.contains(method.getReturnType())) {
                assertThat(result).as(method + " returns a wrapper").isInstanceOf(WrapperContext.class);
            }

            boolean declaresSqlException = Arrays.asList(method.getExceptionTypes()).contains(SQLException.class);
            if (!declaresSqlException && method.getExceptionTypes().length == 0) {
                continue; // e.g. getDriverMajorVersion(): a driver cannot throw a checked exception here
            }
            SQLException failure = declaresSqlException
                    ? new SQLException("driver failed", "XX000") : new SQLClientInfoException();
            driver.failNext(failure);
            int seenBefore = hooks.exceptions.size();
            Throwable thrown = ((InvocationTargetException) catchThrowable(() -> method.invoke(wrapper, args)))
                    .getCause();
            if (!declaresSqlException) {
                // setClientInfo may throw only SQLClientInfoException, which the hook could not replace
                assertThat(thrown).as(method.toString()).isSameAs(failure);
                continue;
            }
            assertThat(hooks.exceptions).as(method.toString()).hasSize(seenBefore + 1);
            assertThat((Object) hooks.exceptions.get(seenBefore).exception()).isSameAs(failure);
            assertThat(hooks.exceptions.get(seenBefore).context()).isSameAs(wrapper);
            assertThat(thrown).as(method + " throws what the hook returned")
                    .hasMessage("seen by hook: driver failed").hasCause(failure);
            forwarded.add(method.getName());
        }
        assertThat(forwarded).hasSizeGreaterThan(20);
    }

    @ParameterizedTest
    @MethodSource("wrappedTypes")
    void methodsThatAnswerFromTheWrapperReturnTheWrappersNotTheDriversObjects(Class<?> iface, Class<?> generated)
            throws Exception {
        ConnectionWrapper connection = Wrappers.wrap(RecordingDriver.stub(Connection.class), JdbcHooks.NONE);
        Wrapper wrapper = wrapperOf(iface, connection);
        if (wrapper instanceof Statement statement) {
            assertThat(statement.getConnection()).isSameAs(connection);
            assertThat(statement.getResultSet().getStatement()).isSameAs(statement);
            assertThat(statement.getGeneratedKeys().getStatement()).isSameAs(statement);
        }
        if (wrapper instanceof DatabaseMetaData metaData) {
            assertThat(metaData.getConnection()).isSameAs(connection);
            assertThat(metaData.getTables(null, null, "t", null).getStatement().getConnection()).isSameAs(connection);
        }
        assertThat(wrapper.unwrap(iface)).isSameAs(wrapper);
        assertThat(wrapper.isWrapperFor(RecordingDriver.Recorded.class)).isTrue();
        assertThat(wrapper.unwrap(RecordingDriver.Recorded.class)).isNotSameAs(wrapper);
    }

    static Wrapper wrapperOf(Class<?> iface, ConnectionWrapper connection) throws SQLException {
        if (iface == Connection.class) {
            return connection;
        } else if (iface == Statement.class) {
            return connection.createStatement();
        } else if (iface == PreparedStatement.class) {
            return connection.prepareStatement("SELECT ?");
        } else if (iface == CallableStatement.class) {
            return connection.prepareCall("{call p(?)}");
        } else if (iface == ResultSet.class) {
            return connection.createStatement().executeQuery("SELECT 1");
        } else if (iface == DatabaseMetaData.class) {
            return connection.getMetaData();
        }
        throw new IllegalArgumentException(iface.getName());
    }

    static List<Method> instanceMethods(Class<?> iface) {
        return Arrays.stream(iface.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    /** Distinct, recognisable arguments: the n-th parameter gets n+7, "arg n", a one-element array, ... */
    static Object[] sampleArguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            int n = i + 7;
            if (type == int.class) {
                args[i] = n;
            } else if (type == long.class) {
                args[i] = (long) n;
            } else if (type == boolean.class) {
                args[i] = true;
            } else if (type == short.class) {
                args[i] = (short) n;
            } else if (type == byte.class) {
                args[i] = (byte) n;
            } else if (type == float.class) {
                args[i] = n + 0.5f;
            } else if (type == double.class) {
                args[i] = n + 0.25d;
            } else if (type == String.class) {
                args[i] = "arg " + i;
            } else if (type == Class.class) {
                args[i] = String.class;
            } else if (type.isArray() && type.getComponentType().isPrimitive()) {
                args[i] = java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
            } else if (type.isArray()) {
                Object[] array = (Object[]) java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
                array[0] = type.getComponentType() == String.class ? "element " + i : null;
                args[i] = array;
            }
        }
        return args;
    }
}
