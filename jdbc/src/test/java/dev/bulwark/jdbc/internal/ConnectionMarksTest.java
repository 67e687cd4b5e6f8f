package dev.bulwark.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionMarksTest {

    /** A connection object that is only an identity: the marks never call it. */
    private static Connection identity() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void containsWhatWasAddedUntilRemoved() {
        ConnectionMarks marks = new ConnectionMarks();
        Connection a = identity();
        Connection b = identity();
        marks.add(a);
        assertThat(marks.contains(a)).isTrue();
        assertThat(marks.contains(b)).isFalse();
        marks.remove(a);
        assertThat(marks.contains(a)).isFalse();
    }

    @Test
    void mayForgetUnderPressureButNeverClaimsAStranger() {
        ConnectionMarks marks = new ConnectionMarks();
        List<Connection> added = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Connection c = identity();
            marks.add(c);
            added.add(c);
            assertThat(marks.contains(c)).as("the connection just added").isTrue();
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(marks.contains(identity())).isFalse();
        }
        long remembered = added.stream().filter(marks::contains).count();
        assertThat(remembered).isPositive().isLessThanOrEqualTo(256);
    }
}
