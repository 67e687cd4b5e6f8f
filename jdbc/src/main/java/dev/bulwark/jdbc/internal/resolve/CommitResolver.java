package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.core.CommitResolution;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Resolves whether a transaction whose COMMIT acknowledgement was lost committed, in two phases:
 *
 * <pre>
 * token = resolver.prepare(txConnection);   // inside the transaction, before COMMIT
 * txConnection.commit();                     // fails: connection lost while COMMIT was in flight
 * resolution = resolver.resolve(token, fresh, budget);  // on a NEW connection
 * </pre>
 *
 * <p>Implementations are immutable and thread-safe; one instance serves a whole data source.
 * {@link #resolve} never throws: whatever goes wrong within the budget ends in
 * {@link dev.bulwark.jdbc.CommitOutcome#UNKNOWN} with the errors attached.
 */
public interface CommitResolver {

    /** Which strategy this is; never {@link CommitResolution#AUTO}. */
    CommitResolution strategy();

    /** Why this resolver never resolves (strategy {@code OFF}), for health and the start-up log; null otherwise. */
    default String offReason() {
        return null;
    }

    /**
     * Records, inside the open transaction of {@code txConnection}, what {@link #resolve} will need.
     * Costs one round trip (MySQL's ledger: two); must be called after the unit's work and before
     * COMMIT.
     *
     * @throws SQLException if the statement fails; the transaction should then be rolled back and the
     *                      failure classified like any other
     */
    CommitToken prepare(Connection txConnection) throws SQLException;

    /**
     * Like {@link #prepare(Connection)}, but a ledger marker, where this strategy writes one, carries
     * the caller's id (the recovery journal's idempotency key) instead of a random one. Strategies
     * that write no marker ignore it.
     *
     * @throws IllegalArgumentException if {@code unitId} is not 1 to 64 letters, digits or {@code _.:-}
     * @throws SQLException             as {@link #prepare(Connection)}; a marker id already in the
     *                                  ledger is a constraint violation
     */
    CommitToken prepare(Connection txConnection, String unitId) throws SQLException;

    /**
     * Finds out on new connections from {@code fresh} whether the transaction of {@code token}
     * committed, polling until the answer is final or {@code budget} is spent.
     *
     * @throws IllegalArgumentException if the token was made by another strategy
     */
    Resolution resolve(CommitToken token, ConnectionSource fresh, Duration budget);
}
