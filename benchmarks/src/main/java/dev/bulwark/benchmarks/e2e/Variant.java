package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.jdbc.Bulwark;
import java.io.Closeable;
import javax.sql.DataSource;

/** The stacks compared end to end, each over its own HikariCP pool of the same size. */
enum Variant {
    /** HikariCP over pgjdbc. */
    RAW("raw"),
    /** {@code Bulwark.wrap(hikari)}, the library as an application uses it. */
    BULWARK("bulwark"),
    /** HikariCP over {@code jdbc:bulwark:postgresql://...}: Bulwark as a driver, for tools. */
    DRIVER("bulwark-driver");

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
        config.setJdbcUrl(this == DRIVER ? "jdbc:bulwark:" + pgUrl.substring("jdbc:".length()) : pgUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        HikariDataSource hikari = new HikariDataSource(config);
        DataSource front = this == BULWARK ? Bulwark.wrap(hikari) : hikari;
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
