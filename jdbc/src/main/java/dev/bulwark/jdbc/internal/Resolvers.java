package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitResolvers;
import dev.bulwark.jdbc.internal.resolve.ResolutionSettings;
import dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks;
import dev.bulwark.jdbc.internal.wrapper.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the commit resolver of a data source (it must look at the database and the user's privileges)
 * on the first connection the data source acquires, before that connection is lent out: choosing later,
 * inside a unit, would need a second connection from a pool that may be exhausted by units. While the
 * database cannot be inspected no resolver is chosen, a lost commit is reported as unknown, and the next
 * acquired connection tries again.
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

    private final String name;
    private final ResolutionSettings settings;
    private volatile CommitResolver chosen;

    Resolvers(String name, BulwarkConfig config) {
        this.name = name;
        this.settings = ResolutionSettings.defaults().withMode(config.jdbc().commitResolution())
                .withCreateLedger(config.jdbc().createCommitLedger());
    }

    /** The resolver, or null when resolution is off or has not been set up yet. */
    CommitResolver get() {
        return chosen;
    }

    /** Chooses the resolver on {@code idle}, an acquired connection in autocommit mode not yet lent out. */
    void chooseOn(Connection idle) {
        if (chosen != null || settings.mode() == CommitResolution.OFF) {
            return;
        }
        synchronized (this) {
            if (chosen != null) {
                return;
            }
            ConnectionWrapper borrowed = Wrappers.wrap(idle, KEEP_OPEN);
            try {
                chosen = CommitResolvers.select(settings, () -> borrowed);
                LOG.info("{}: commit resolution by {}", name, chosen.strategy());
            } catch (SQLException e) {
                LOG.warn("{}: commit resolution could not be set up ({}); a lost commit acknowledgement will be "
                        + "reported as unknown until it can", name, e.toString());
            }
        }
    }
}
