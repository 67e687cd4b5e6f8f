package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.benchmarks.stub.StubDriver;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * The stacks a benchmark compares, all over one HikariCP pool of the stub driver:
 * {@code raw} (HikariCP alone), {@code bulwark} ({@code Bulwark.wrap(hikari)}) and {@code dsproxy}
 * (datasource-proxy with one no-op listener, the lightest configuration that still intercepts).
 */
public final class StubPools {

    /** Enough connections for the 8-thread runs, so acquisition never waits. */
    static final int POOL_SIZE = 8;

    private StubPools() {
    }

    public static HikariDataSource hikari(int rows) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("stub-" + rows);
        config.setDriverClassName(StubDriver.class.getName());
        config.setJdbcUrl(StubDriver.url(rows));
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /**
     * Bulwark's defaults, except commit resolution (the stub database has no transaction ids; with
     * {@code auto}, every acquisition would try again to choose a resolver and fail).
     */
    static BulwarkConfig bulwarkConfig() {
        return BulwarkConfig.builder().withName("bench")
                .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.OFF).build())
                .build();
    }

    public static BulwarkDataSource bulwark(DataSource pool) {
        return Bulwark.wrap(pool, bulwarkConfig());
    }

    /** The data source of {@code variant} over {@code pool}. */
    static DataSource stack(String variant, HikariDataSource pool) {
        return switch (variant.toLowerCase(Locale.ROOT)) {
            case "raw" -> pool;
            case "bulwark" -> bulwark(pool);
            case "dsproxy" -> ProxyDataSourceBuilder.create(pool).name("dsproxy")
                    .listener(new NoOpQueryListener()).build();
            default -> throw new IllegalArgumentException("unknown variant '" + variant
                    + "': expected raw, bulwark or dsproxy");
        };
    }
}
