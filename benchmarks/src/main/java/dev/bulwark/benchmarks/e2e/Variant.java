package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.jdbc.Bulwark;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** The stacks compared end to end, each over its own HikariCP pool of the same size. */
enum Variant {
    /** HikariCP over pgjdbc. */
    RAW("raw"),
    /** {@code Bulwark.wrap(hikari)}, the library as an application uses it. */
    BULWARK("bulwark"),
    /** HikariCP over {@code jdbc:bulwark:postgresql://...}: Bulwark as a driver, for tools. */
    DRIVER("bulwark-driver"),
    /**
     * {@code Bulwark.wrap(hikari)} with {@code bulwark.timeout.statement=0}: no default statement timeout at
     * all. Before it became PostgreSQL's session {@code statement_timeout} it was a {@code setQueryTimeout}
     * per execute, which pgjdbc implements with a timer task per statement; this variant isolated that cost
     * and now shows what the server-side timeout costs (nothing per statement).
     */
    BULWARK_NO_STATEMENT_TIMEOUT("bulwark-no-stmt-timeout"),
    /**
     * A peer: HikariCP over the AWS Advanced JDBC Wrapper ({@code jdbc:aws-wrapper:postgresql://...}) with its
     * default plugins, as its documentation has it for HikariCP.
     */
    AWS_WRAPPER("aws-wrapper");

    private final String label;

    Variant(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** An open pool of {@code size} connections to {@code pgUrl} (a {@code jdbc:postgresql:} URL) for this variant. */
    Pool open(String pgUrl, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("e2e-" + label + "-" + size);
        config.setJdbcUrl(switch (this) {
            case DRIVER -> "jdbc:bulwark:" + pgUrl.substring("jdbc:".length());
            case AWS_WRAPPER -> "jdbc:aws-wrapper:" + pgUrl.substring("jdbc:".length());
            default -> pgUrl;
        });
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        HikariDataSource hikari = new HikariDataSource(config);
        DataSource front = switch (this) {
            case RAW, DRIVER, AWS_WRAPPER -> hikari;
            case BULWARK -> Bulwark.wrap(hikari);
            case BULWARK_NO_STATEMENT_TIMEOUT -> Bulwark.wrap(hikari, BulwarkConfig.builder()
                    .withTimeouts(TimeoutConfig.builder().withStatement(Duration.ZERO).build()).build());
        };
        try (Connection c = front.getConnection()) {
            // A benchmark of the wrong stack measures nothing: check that Bulwark is (or is not) in the path.
            boolean wrapped = c.toString().contains("Bulwark");
            boolean bulwarkExpected = this != RAW && this != AWS_WRAPPER;
            if (wrapped != bulwarkExpected) {
                hikari.close();
                throw new IllegalStateException(label + ": expected " + (bulwarkExpected ? "" : "no ")
                        + "Bulwark wrapper in the path, got " + c);
            }
            if (this == AWS_WRAPPER && !c.isWrapperFor(Class.forName("software.amazon.jdbc.wrapper.ConnectionWrapper"))) {
                hikari.close();
                throw new IllegalStateException(label + ": expected the AWS wrapper in the path, got " + c);
            }
        } catch (ClassNotFoundException e) {
            hikari.close();
            throw new IllegalStateException(label + ": the AWS Advanced JDBC Wrapper is not on the class path", e);
        } catch (SQLException e) {
            hikari.close();
            throw new IllegalStateException(label + ": cannot connect to " + pgUrl + ": " + e.getMessage(), e);
        }
        return new Pool(front, hikari);
    }

    /** The data source the clients use and the pool behind it (closed with it). */
    record Pool(DataSource dataSource, HikariDataSource hikari) implements Closeable {
        @Override
        public void close() {
            hikari.close();
        }
    }
}
