package dev.bulwark.jdbc.internal.wrapper;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in driver for tests only: JDK proxies of the JDBC interfaces that record every call with its
 * arguments, answer with a default value (or another recording proxy for JDBC-typed results), and throw
 * a given exception once when asked. Reach the recorder behind a wrapper with
 * {@code wrapper.unwrap(RecordingDriver.Recorded.class)}.
 */
final class RecordingDriver {

    /** Implemented by every recording proxy. */
    interface Recorded {
        RecordingDriver.Recorder recorder();
    }

    /** One call as the proxy saw it. */
    record Call(Method method, Object[] args) {
        boolean is(Method expected, Object[] expectedArgs) {
            return method.getName().equals(expected.getName())
                    && Arrays.equals(method.getParameterTypes(), expected.getParameterTypes())
                    && Arrays.deepEquals(args == null ? new Object[0] : args,
                            expectedArgs == null ? new Object[0] : expectedArgs);
        }
    }

    /** Records the calls of one proxy. */
    static final class Recorder implements InvocationHandler {
        final List<Call> calls = new ArrayList<>();
        private Exception failNext;

        /** The next call throws {@code failure}. */
        void failNext(Exception failure) {
            this.failNext = failure;
        }

        Call lastCall() {
            return calls.isEmpty() ? null : calls.get(calls.size() - 1);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "recorder":
                    return this;
                case "toString":
                    return "recording " + proxy.getClass().getInterfaces()[0].getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            calls.add(new Call(method, args));
            if (failNext != null) {
                Exception failure = failNext;
                failNext = null;
                throw failure;
            }
            return answer(method.getReturnType());
        }
    }

    private static final Map<Class<?>, Object> PRIMITIVE_DEFAULTS = Map.of(
            boolean.class, false, int.class, 0, long.class, 0L, short.class, (short) 0,
            byte.class, (byte) 0, float.class, 0f, double.class, 0d, char.class, '\0');

    private static final Set<String> JDBC_PACKAGES = Set.of("java.sql");

    private RecordingDriver() {
    }

    /** A new recording proxy implementing {@code type}. */
    static <T> T stub(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(RecordingDriver.class.getClassLoader(),
                new Class<?>[] {type, Recorded.class}, new Recorder()));
    }

    static Recorder recorderOf(java.sql.Wrapper wrapper) throws SQLException {
        return wrapper.unwrap(Recorded.class).recorder();
    }

    private static Object answer(Class<?> type) {
        if (type.isPrimitive()) {
            return PRIMITIVE_DEFAULTS.get(type);
        }
        if (type.isInterface() && JDBC_PACKAGES.contains(type.getPackageName())) {
            return stub(type);
        }
        return null;
    }
}
