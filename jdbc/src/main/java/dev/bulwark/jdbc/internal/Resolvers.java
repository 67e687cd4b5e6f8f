package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitResolvers;
import dev.bulwark.jdbc.internal.resolve.ResolutionSettings;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the commit resolver of a data source on first use (it needs a connection to see the database
 * and the user's privileges) and keeps it. While the database cannot be reached, no resolver is chosen and
 * a lost commit is reported as unknown; the next unit tries again.
 */
final class Resolvers {

    private static final Logger LOG = LoggerFactory.getLogger(Resolvers.class);

    private final ResilientDataSource owner;
    private final ResolutionSettings settings;
    private volatile CommitResolver chosen;

    Resolvers(ResilientDataSource owner, BulwarkConfig config) {
        this.owner = owner;
        this.settings = ResolutionSettings.defaults().withMode(config.jdbc().commitResolution());
    }

    /** The resolver, or null when resolution is off or could not be set up yet. */
    CommitResolver get() {
        CommitResolver r = chosen;
        if (r != null || settings.mode() == CommitResolution.OFF) {
            return r;
        }
        synchronized (this) {
            if (chosen == null) {
                try {
                    chosen = CommitResolvers.select(settings, owner::acquireForResolution);
                    LOG.info("{}: commit resolution by {}", owner.name(), chosen.strategy());
                } catch (SQLException e) {
                    LOG.warn("{}: commit resolution could not be set up ({}); a lost commit acknowledgement will "
                            + "be reported as unknown until it can", owner.name(), e.toString());
                }
            }
            return chosen;
        }
    }
}
