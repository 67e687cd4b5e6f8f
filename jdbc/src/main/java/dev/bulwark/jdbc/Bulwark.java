package dev.bulwark.jdbc;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.Faults;
import dev.bulwark.core.Guard;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.Replicas;
import dev.bulwark.jdbc.cluster.internal.Router;
import dev.bulwark.jdbc.internal.DaoInvocationHandler;
import dev.bulwark.jdbc.internal.ResilientDataSource;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Bulwark's entry points: wrap a DataSource, or put a DAO interface behind its annotations.
 *
 * <pre>{@code
 * BulwarkDataSource db = Bulwark.wrap(hikari);                       // defaults
 * BulwarkDataSource db = Bulwark.wrap(hikari, BulwarkConfig.fromSystemProperties());
 * long id = db.inTransaction(c -> insertOrder(c, order));           // a retried unit of work
 * OrderDao dao = Bulwark.dao(OrderDao.class, new JdbcOrderDao(db), db);
 * }</pre>
 *
 * <p>Thread-safe; every wrapped DataSource has its own breaker, budget and state (nothing is global).
 */
public final class Bulwark {

    private Bulwark() {
    }

    /**
     * Wraps {@code target} with the default configuration.
     *
     * @throws NullPointerException if {@code target} is null
     */
    public static BulwarkDataSource wrap(DataSource target) {
        return builder(target).build();
    }

    /**
     * Wraps {@code target} with {@code config}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static BulwarkDataSource wrap(DataSource target, BulwarkConfig config) {
        return builder(target).withConfig(config).build();
    }

    /**
     * Wraps a primary and its replicas as one cluster: read-only units run on a replica within
     * {@code bulwark.replica.maxLag}, with read-your-writes; everything else on the primary (see
     * {@link ClusterDataSource}). Each host gets its own breaker, retries and pool control under {@code config};
     * the replicas are named {@code <name>-replica-<n>}. With {@link Replicas#none()} nothing is routed or sampled.
     * Close it to stop its lag monitor.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code bulwark.replica.maxLag} is less than twice
     *                                  {@code bulwark.replica.sampleInterval} (naming both)
     */
    public static ClusterDataSource wrap(DataSource primary, Replicas replicas, BulwarkConfig config) {
        return builder(primary).withConfig(config).withReplicas(replicas).buildCluster();
    }

    /** A builder for a wrapped DataSource with listeners or a classifier of one's own. */
    public static Builder builder(DataSource target) {
        return new Builder(target);
    }

    /**
     * A DAO whose annotated methods ({@code @Transactional}, {@code @Retry}, {@code @Timeout},
     * {@code @Idempotent}) run as units of work on {@code dataSource}; other methods pass straight through.
     * The annotations are read once, here; a call costs one map lookup beyond the unit itself.
     *
     * @throws IllegalArgumentException if {@code daoInterface} is not an interface, {@code implementation}
     *                                  does not implement it, or an annotated method does not declare
     *                                  {@code throws SQLException} (the message names the method)
     */
    public static <T> T dao(Class<T> daoInterface, T implementation, BulwarkDataSource dataSource) {
        Objects.requireNonNull(daoInterface, "daoInterface");
        Objects.requireNonNull(implementation, "implementation");
        Objects.requireNonNull(dataSource, "dataSource");
        if (!daoInterface.isInterface()) {
            throw new IllegalArgumentException("Bulwark.dao needs an interface, got class " + daoInterface.getName());
        }
        if (!daoInterface.isInstance(implementation)) {
            throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement "
                    + daoInterface.getName());
        }
        DaoInvocationHandler handler = DaoInvocationHandler.create(daoInterface, implementation, dataSource);
        return daoInterface.cast(Proxy.newProxyInstance(daoInterface.getClassLoader(),
                new Class<?>[] {daoInterface}, handler));
    }

    /** Builds a {@link BulwarkDataSource}. Not thread-safe; each {@link #build()} makes an independent one. */
    public static final class Builder {
        private final DataSource target;
        private BulwarkConfig config = BulwarkConfig.defaults();
        private FaultClassifier classifier = Faults::classify;
        private final List<BulwarkListener> listeners = new ArrayList<>();
        private final List<StatementObserver> observers = new ArrayList<>();
        private Replicas replicas = Replicas.none();

        private Builder(DataSource target) {
            this.target = Objects.requireNonNull(target, "target");
            if (target instanceof BulwarkDataSource) {
                throw new IllegalArgumentException("this DataSource is already wrapped by Bulwark: " + target);
            }
        }

        /** Uses {@code value} instead of {@link BulwarkConfig#defaults()}. */
        public Builder withConfig(BulwarkConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** Uses {@code value} (for example {@code Faults.custom()...build()}) to classify failures. */
        public Builder withClassifier(FaultClassifier value) {
            this.classifier = Objects.requireNonNull(value, "classifier");
            return this;
        }

        /** Adds a listener for policy and JDBC events. */
        public Builder withListener(BulwarkListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Adds an observer called before every statement (in the order added); one that throws refuses the
         * statement. See {@link StatementObserver}.
         */
        public Builder withStatementObserver(StatementObserver value) {
            observers.add(Objects.requireNonNull(value, "observer"));
            return this;
        }

        /** The replicas {@link #buildCluster()} routes read-only units to. */
        public Builder withReplicas(Replicas value) {
            this.replicas = Objects.requireNonNull(value, "replicas");
            return this;
        }

        /**
         * The cluster of the target (its primary) and the replicas given, each host with this builder's config,
         * classifier, listeners and observers (see {@link Bulwark#wrap(DataSource, Replicas, BulwarkConfig)}).
         *
         * @throws IllegalArgumentException as {@link Bulwark#wrap(DataSource, Replicas, BulwarkConfig)}
         */
        public ClusterDataSource buildCluster() {
            BulwarkConfig base = config;
            FaultClassifier c = classifier;
            List<BulwarkListener> ls = List.copyOf(listeners);
            List<StatementObserver> os = List.copyOf(observers);
            return new Router(base, c, target, replicas.dataSources(), (ds, name, commits) -> {
                BulwarkConfig hostConfig = name.equals(base.name()) ? base : base.toBuilder().withName(name).build();
                Guard.Builder guard = Guard.builder(hostConfig).withClassifier(c);
                ls.forEach(guard::withListener);
                return new ResilientDataSource(ds, hostConfig, guard.build(), ls, os, commits);
            });
        }

        /** The wrapped DataSource. */
        public BulwarkDataSource build() {
            Guard.Builder guard = Guard.builder(config).withClassifier(classifier);
            listeners.forEach(guard::withListener);
            return new ResilientDataSource(target, config, guard.build(), listeners, observers);
        }
    }
}
