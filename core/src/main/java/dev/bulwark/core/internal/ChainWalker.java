package dev.bulwark.core.internal;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the exceptions of a failure's chain in the order in which the classifier consults them.
 *
 * <p>Order: the failure itself, then, depth first, its SQL next exceptions
 * ({@link SQLException#getNextException()}, the other errors of a batch) before its cause; the
 * suppressed exceptions of every node (rollback errors, earlier attempts) come only after every
 * exception reachable through next exceptions and causes, because they describe secondary failures.
 * Each exception is listed once (identity), so cycles end; links deeper than {@link #MAX_DEPTH} and
 * nodes beyond {@link #MAX_NODES} are not followed.
 *
 * <p>Accessors of foreign exception classes may be overridden and may throw; such a failure is
 * logged at DEBUG and the link treated as absent, so walking never throws.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChainWalker {

    /** Links followed at most from the classified failure. */
    public static final int MAX_DEPTH = 16;
    /** Exceptions listed at most, so a wide tree of suppressed exceptions stays cheap. */
    public static final int MAX_NODES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ChainWalker.class);

    private ChainWalker() {
    }

    /** The exceptions of {@code failure}'s chain, the failure first. */
    public static List<ChainNode> walk(Throwable failure) {
        // Sized for the usual chain of one to three exceptions: classification runs on every failure.
        List<ChainNode> nodes = new ArrayList<>(4);
        Deque<Link> primary = new ArrayDeque<>(4);
        Deque<Link> secondary = new ArrayDeque<>(2);
        primary.push(new Link(failure, "failure", 0));
        while (nodes.size() < MAX_NODES && !(primary.isEmpty() && secondary.isEmpty())) {
            Link link = primary.isEmpty() ? secondary.pollFirst() : primary.pop();
            if (link.depth() > MAX_DEPTH || listed(nodes, link.throwable())) {
                continue;
            }
            Throwable t = link.throwable();
            nodes.add(new ChainNode(t, sqlState(t), vendorCode(t), link.path(), link.depth()));
            for (Throwable suppressed : suppressed(t)) {
                secondary.addLast(link.child(suppressed, "suppressed"));
            }
            // pushed in reverse: the next exception is consulted before the cause
            Throwable cause = cause(t);
            if (cause != null) {
                primary.push(link.child(cause, "cause"));
            }
            Throwable next = next(t);
            if (next != null) {
                primary.push(link.child(next, "next"));
            }
        }
        return nodes;
    }

    /** Whether {@code t} is already listed (identity); at most {@link #MAX_NODES} nodes, so a scan is cheapest. */
    private static boolean listed(List<ChainNode> nodes, Throwable t) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).throwable() == t) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        if (!(t instanceof SQLException sql)) {
            return null;
        }
        try {
            return sql.getSQLState();
        } catch (RuntimeException e) {
            LOG.debug("getSQLState() of {} threw; treating the SQLState as absent", t.getClass().getName(), e);
            return null;
        }
    }

    private static int vendorCode(Throwable t) {
        if (!(t instanceof SQLException sql)) {
            return 0;
        }
        try {
            return sql.getErrorCode();
        } catch (RuntimeException e) {
            LOG.debug("getErrorCode() of {} threw; treating the vendor code as 0", t.getClass().getName(), e);
            return 0;
        }
    }

    private static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (RuntimeException e) {
            LOG.debug("getCause() of {} threw; treating the cause as absent", t.getClass().getName(), e);
            return null;
        }
    }

    private static Throwable next(Throwable t) {
        if (!(t instanceof SQLException sql)) {
            return null;
        }
        try {
            return sql.getNextException();
        } catch (RuntimeException e) {
            LOG.debug("getNextException() of {} threw; treating it as absent", t.getClass().getName(), e);
            return null;
        }
    }

    private static List<Throwable> suppressed(Throwable t) {
        try {
            Throwable[] all = t.getSuppressed();
            if (all.length == 0) {
                return List.of();
            }
            List<Throwable> present = new ArrayList<>(all.length);
            for (Throwable each : all) {
                if (each != null) {
                    present.add(each);
                }
            }
            return present;
        } catch (RuntimeException e) {
            LOG.debug("getSuppressed() of {} threw; treating it as empty", t.getClass().getName(), e);
            return List.of();
        }
    }

    private record Link(Throwable throwable, String path, int depth) {
        Link child(Throwable child, String step) {
            return new Link(child, path.equals("failure") ? step : path + "." + step, depth + 1);
        }
    }
}
