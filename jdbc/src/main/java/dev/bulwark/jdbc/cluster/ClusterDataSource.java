package dev.bulwark.jdbc.cluster;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import java.sql.SQLException;
import java.util.List;

/**
 * A primary and its replicas behind one data source. Obtain one with
 * {@code Bulwark.wrap(primary, Replicas.of(...), config)}.
 *
 * <ul>
 *   <li>Read-only units ({@code inTransaction} with {@code withReadOnly(true)}, {@code @Transactional(readOnly =
 *       true)}) run on a replica, read-only on the server, while the replica's lag is within
 *       {@code bulwark.replica.maxLag}; everything else (read-write units, {@code inAutoCommit},
 *       {@code getConnection()}) runs on the primary.</li>
 *   <li>Read your writes: after this thread's unit commits on the primary, this thread's read-only units run on a
 *       replica only once it has replayed that commit (waiting at most {@code bulwark.replica.readYourWritesWait}),
 *       else on the primary. {@link #readToken()} and {@link #adopt} carry the same guarantee across threads.</li>
 *   <li>A replica that fails a unit, or that no sample shows fit, is passed over: the unit runs on the primary
 *       within its deadline, and the replica is taken out until its monitor's next successful sample.</li>
 * </ul>
 *
 * <p>Each host has its own Bulwark data source (breaker, retries, pool control). One monitor task per host samples
 * role, position and reachability every {@code bulwark.replica.sampleInterval}, on threads of this cluster's own
 * (daemon, named {@code bulwark-monitor-<name>}); {@link #close()} stops them. Thread-safe.
 */
public interface ClusterDataSource extends BulwarkDataSource, AutoCloseable {

    /** The position of this thread's last commit on the primary, or {@link ReadToken#NONE}. */
    ReadToken readToken();

    /**
     * Makes this thread's later read-only units see the commit {@code token} stands for (and this thread's own),
     * as if this thread had made it.
     *
     * @throws NullPointerException if {@code token} is null
     */
    void adopt(ReadToken token);

    /**
     * Runs {@code work} as {@link #inTransaction(TransactionOptions, Work)} does, and if it is read-only, on a
     * replica only once that replica has replayed the commit {@code after} stands for (this thread's own last
     * commit counts as well). This thread's token is not changed by {@code after}.
     *
     * @throws SQLException as {@link #inTransaction(TransactionOptions, Work)}
     */
    <T> T inTransaction(ReadToken after, TransactionOptions options, Work<T> work) throws SQLException;

    /** Each host, the primary first, as the router sees it now. Never touches the database. */
    List<HostStatus> hosts();

    /** Stops the lag monitor; later read-only units run on the primary. The DataSources given are not closed. */
    @Override
    void close();
}
