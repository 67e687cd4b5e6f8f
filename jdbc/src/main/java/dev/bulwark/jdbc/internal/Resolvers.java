package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitResolvers;
import dev.bulwark.jdbc.internal.resolve.ConnectionSource;
import dev.bulwark.jdbc.internal.resolve.LedgerExpiry;
import dev.bulwark.jdbc.internal.resolve.ResolutionSettings;
import dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks;
import dev.bulwark.jdbc.internal.wrapper.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the commit resolver of a data source (it must look at the database and the user's privileges)
 * on the first connection the data source acquires, before that connection is lent out: choosing later,
 * inside a unit, would need a second connection from a pool that may be exhausted by units. While the
 * database cannot be inspected no resolver is chosen, a lost commit is reported as unknown, and the next
 * acquired connection tries again. An explicitly configured strategy that cannot work on the database is a
 * configuration error: the first acquisition fails with it, and so does every later one, at once.
 */
final class Resolvers {

    private static final Logger LOG = LoggerFactory.getLogger(Resolvers.class);

    /** Lets the selection use a borrowed connection without closing it. */
    private static final JdbcHooks KEEP_OPEN = new JdbcHooks() {
        @Override
        public void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
                throws SQLException {
            if (boundary != Boundary.CLOSE) {
                action.run();
            }
        }
    };

    /** What resolution being off means to the application, in the start-up line and in health(). */
    static final String OFF_CONSEQUENCE = "a commit whose acknowledgement is lost fails with SQLState 08007"
            + " (outcome unknown) instead of being resolved";
    private static final String CONFIGURED_OFF = "bulwark.jdbc.commitResolution=off";

    private final String name;
    private final ResolutionSettings settings;
    private volatile boolean offSaid;
    private volatile CommitResolver chosen;
    /** Deletes old ledger rows, when the chosen resolver writes them; null otherwise. */
    private volatile LedgerExpiry expiry;
    private final ConnectionSource expirySource;
    /** Why the explicitly configured strategy cannot work here; null while it can or is not known yet. */
    private volatile SQLException misconfigured;
    /**
     * Serialises the selection, which queries the database: a lock rather than a monitor, so that a virtual
     * thread waiting for the database here does not pin its carrier (JDK 21 to 23).
     */
    private final ReentrantLock selecting = new ReentrantLock();

    Resolvers(String name, BulwarkConfig config, ConnectionSource expirySource) {
        this.name = name;
        this.expirySource = expirySource;
        this.settings = ResolutionSettings.defaults().withMode(config.jdbc().commitResolution())
                .withCreateLedger(config.jdbc().createCommitLedger());
    }

    /**
     * The resolver, or null when resolution is off or has not been set up yet. Called by each unit that is
     * about to record its commit token; where the resolver writes ledger markers, it also starts an expiry
     * run in the background when one is due (a clock read when not), never making the unit wait or fail.
     */
    CommitResolver get() {
        LedgerExpiry e = expiry;
        if (e != null) {
            e.expireInBackground(expirySource);
        }
        return chosen;
    }

    /**
     * Fails at once, before a connection is opened, once an explicitly configured strategy was found not to
     * work: the data source refuses connections until it is rebuilt with a working configuration.
     *
     * @throws SQLException SQLState 0A000, naming the setting and why, never retried nor counted by the breaker
     */
    void checkConfigured() throws SQLException {
        SQLException cause = misconfigured;
        if (cause != null) {
            throw configurationError(cause);
        }
    }

    /**
     * Chooses the resolver on {@code idle}, an acquired connection in autocommit mode not yet lent out, its reads
     * ending by {@code endsNanos} ({@link System#nanoTime()}; 0: not bounded, a database without sockets).
     *
     * @throws SQLException when the configured strategy ({@code TRANSACTION_ID} or {@code LEDGER}, not AUTO)
     *                      cannot work on this database: SQLState 0A000, naming the setting and the reason
     */
    void chooseOn(Connection idle, long endsNanos) throws SQLException {
        if (chosen != null) {
            return;
        }
        if (settings.mode() == CommitResolution.OFF) {
            if (!offSaid) {
                offSaid = true; // a race may say it twice; never not at all
                LOG.info("{}: commit resolution is OFF (bulwark.jdbc.commitResolution=off): {}", name,
                        OFF_CONSEQUENCE);
            }
            return;
        }
        selecting.lock();
        try {
            checkConfigured();
            if (chosen != null) {
                return;
            }
            ConnectionWrapper borrowed = Wrappers.wrap(idle, KEEP_OPEN);
            try {
                // Its reads are bounded by the caller's wait: inspecting a server that stopped answering must not
                // hold the caller, nor every other acquisition waiting on this lock, past their deadlines.
                CommitResolver[] found = new CommitResolver[1];
                if (endsNanos != 0) {
                    ConnectionSetup.withReadBound(idle, ConnectionSetup.millisUntil(endsNanos),
                            () -> found[0] = CommitResolvers.select(settings, () -> borrowed));
                } else {
                    found[0] = CommitResolvers.select(settings, () -> borrowed);
                }
                CommitResolver selected = found[0];
                expiry = CommitResolvers.expiry(selected, settings, Clock.systemUTC()).orElse(null);
                chosen = selected;
                if (selected.offReason() == null) {
                    LOG.info("{}: commit resolution by {}", name, selected.strategy());
                } else {
                    LOG.warn("{}: commit resolution could not be set up on this database ({}); allow the commit"
                            + " ledger (bulwark.jdbc.commitLedger.create=true, or create its table) to resolve lost"
                            + " commit acknowledgements", name, selected.offReason());
                    LOG.info("{}: commit resolution is OFF: {}", name, OFF_CONSEQUENCE);
                }
            } catch (SQLNonTransientConnectionException e) {
                // The connection broke while inspecting (MariaDB's driver types it so): not a verdict on the setting.
                LOG.warn("{}: commit resolution could not be set up ({}); a lost commit acknowledgement will be "
                        + "reported as unknown until it can", name, e.toString());
            } catch (SQLNonTransientException e) {
                if (settings.mode() == CommitResolution.AUTO) {
                    LOG.warn("{}: commit resolution could not be set up ({}); a lost commit acknowledgement will be "
                            + "reported as unknown until it can", name, e.toString());
                    return;
                }
                // An explicit strategy that cannot work is a configuration error: said once, loudly, and kept,
                // so that the selection does not run again on every acquisition.
                misconfigured = e;
                SQLException error = configurationError(e);
                LOG.error("{}", error.getMessage());
                throw error;
            } catch (SQLException e) {
                // The database could not be inspected (it went away meanwhile): the next acquisition tries again.
                LOG.warn("{}: commit resolution could not be set up ({}); a lost commit acknowledgement will be "
                        + "reported as unknown until it can", name, e.toString());
            }
        } finally {
            selecting.unlock();
        }
    }

    /**
     * The {@code commitResolution} component of {@code health()}: the strategy in use ({@code TRANSACTION_ID},
     * {@code LEDGER} or {@code OFF} with why and what it means; {@code UNDECIDED} until a connection could be
     * inspected), UP; DOWN with the error when an explicitly configured strategy cannot work here.
     */
    Health.Component health() {
        Map<String, Object> details = new LinkedHashMap<>();
        SQLException error = misconfigured;
        if (error != null) {
            details.put("strategy", "NONE");
            details.put("error", configurationError(error).getMessage());
            return new Health.Component(Health.Status.DOWN, details);
        }
        CommitResolver resolver = chosen;
        String off = settings.mode() == CommitResolution.OFF ? CONFIGURED_OFF
                : resolver == null ? null : resolver.offReason();
        if (off != null) {
            details.put("strategy", CommitResolution.OFF.name());
            details.put("reason", off);
            details.put("lostCommit", OFF_CONSEQUENCE);
        } else if (resolver == null) {
            details.put("strategy", "UNDECIDED");
            details.put("reason", "chosen on the first connection that can inspect the database; until then a"
                    + " lost commit acknowledgement fails with SQLState 08007");
        } else {
            details.put("strategy", resolver.strategy().name());
        }
        return new Health.Component(Health.Status.UP, details);
    }

    private SQLException configurationError(SQLException cause) {
        String mode = settings.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        return new SQLNonTransientException(name + ": configuration error: bulwark.jdbc.commitResolution=" + mode
                + " cannot work on this database: " + cause.getMessage() + ". Fix the database, or set"
                + " bulwark.jdbc.commitResolution to auto (picks what works, or off with a warning) or off;"
                + " this data source refuses connections until it is rebuilt", "0A000", cause);
    }
}
