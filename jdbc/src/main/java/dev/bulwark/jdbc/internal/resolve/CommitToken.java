package dev.bulwark.jdbc.internal.resolve;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CommitResolver#prepare} recorded inside a transaction, needed later to resolve it.
 * Immutable; holds no bind values or credentials.
 */
public sealed interface CommitToken {

    /** Nothing recorded: resolution is off. */
    record None() implements CommitToken {
    }

    /**
     * The transaction had no transaction id when it was about to commit (PostgreSQL): it changed nothing, so
     * whether its COMMIT landed or not, running it again is safe. Resolves at once as NOT_COMMITTED.
     */
    record Unassigned() implements CommitToken {
    }

    /**
     * A commit-marker row: the unit's id in the ledger table, and the server session that wrote it
     * (PostgreSQL backend pid, MariaDB/MySQL connection id) or {@code -1} where there is none (SQLite), and
     * on MariaDB/MySQL the server that session was on ({@code @@hostname:@@port}, empty where not read): session
     * ids are per server, and on a multi-primary cluster the resolution may reach another node.
     */
    record Ledger(String unitId, long sessionId, String server) implements CommitToken {
        public Ledger {
            LedgerTable.checkUnitId(unitId);
            Objects.requireNonNull(server, "server");
        }

        /** A marker whose session's server was not recorded. */
        public Ledger(String unitId, long sessionId) {
            this(unitId, sessionId, "");
        }
    }

    /**
     * A PostgreSQL transaction id and the server history it belongs to: the cluster's system
     * identifier, the timeline of the WAL insert position, and the postmaster start time, plus an
     * optional ledger marker written in the same transaction as a fallback.
     */
    record TransactionId(String xid, int backendPid, long systemIdentifier, long timeline,
                         String postmasterStart, Optional<Ledger> ledger) implements CommitToken {
        public TransactionId {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(postmasterStart, "postmasterStart");
            Objects.requireNonNull(ledger, "ledger");
            if (!xid.chars().allMatch(Character::isDigit) || xid.isEmpty()) {
                throw new IllegalArgumentException("xid must be a decimal xid8, got '" + xid + "'");
            }
        }

        /** The same token with another timeline (tests of a changed server history). */
        TransactionId withTimeline(long otherTimeline) {
            return new TransactionId(xid, backendPid, systemIdentifier, otherTimeline, postmasterStart, ledger);
        }

        /** The 32-bit xid that {@code pg_stat_activity.backend_xid} shows for this xid8. */
        String shortXid() {
            return Long.toUnsignedString(Long.parseUnsignedLong(xid) & 0xFFFF_FFFFL);
        }
    }
}
