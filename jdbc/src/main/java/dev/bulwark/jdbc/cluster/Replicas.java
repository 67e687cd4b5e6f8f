package dev.bulwark.jdbc.cluster;

import dev.bulwark.jdbc.BulwarkDataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The replicas of a cluster, as plain (unwrapped) DataSources, one per replica host, in order of preference:
 *
 * <pre>{@code
 * ClusterDataSource db = Bulwark.wrap(primaryPool, Replicas.of(replicaPool1, replicaPool2), config);
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #none()} is a cluster of one: nothing is routed and nothing is sampled.
 */
public final class Replicas {

    private static final Replicas NONE = new Replicas(List.of());

    private final List<DataSource> dataSources;

    private Replicas(List<DataSource> dataSources) {
        this.dataSources = dataSources;
    }

    /** No replicas: every unit runs on the primary, at the cost of a plain wrapped DataSource. */
    public static Replicas none() {
        return NONE;
    }

    /**
     * The given replicas, in order of preference.
     *
     * @throws NullPointerException     if the array or an element is null
     * @throws IllegalArgumentException if a DataSource is given twice or is already wrapped by Bulwark (each
     *                                  replica gets its own Bulwark wrapper from the cluster), naming its position
     */
    public static Replicas of(DataSource... replicas) {
        Objects.requireNonNull(replicas, "replicas");
        return of(List.of(replicas));
    }

    /**
     * The given replicas, in order of preference.
     *
     * @throws NullPointerException     if the list or an element is null
     * @throws IllegalArgumentException as {@link #of(DataSource...)}
     */
    public static Replicas of(List<? extends DataSource> replicas) {
        Objects.requireNonNull(replicas, "replicas");
        Map<DataSource, Integer> seen = new IdentityHashMap<>();
        List<DataSource> copy = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            DataSource ds = Objects.requireNonNull(replicas.get(i), "replica " + i);
            if (ds instanceof BulwarkDataSource) {
                throw new IllegalArgumentException("replica " + i + " is already wrapped by Bulwark; give the plain "
                        + "DataSource: the cluster wraps each host itself");
            }
            Integer earlier = seen.put(ds, i);
            if (earlier != null) {
                throw new IllegalArgumentException("replica " + i + " is the same DataSource as replica " + earlier);
            }
            copy.add(ds);
        }
        return copy.isEmpty() ? NONE : new Replicas(Collections.unmodifiableList(copy));
    }

    /** The replicas' DataSources, in order of preference. */
    public List<DataSource> dataSources() {
        return dataSources;
    }

    /** Whether there are no replicas. */
    public boolean isEmpty() {
        return dataSources.isEmpty();
    }

    /** The number of replicas. */
    public int size() {
        return dataSources.size();
    }

    @Override
    public String toString() {
        return "Replicas[" + dataSources.size() + "]";
    }
}
