package dev.bulwark.core.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/**
 * Holds a classifier to its contract: if it throws or returns null, the failure is logged and read as
 * {@link FaultKind#UNKNOWN}, never retried, so a faulty classifier cannot break or loop a call.
 *
 * <p>Thread-safe if the wrapped classifier is.
 */
public final class TotalClassifier implements FaultClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(TotalClassifier.class);

    private final String source;
    private final FaultClassifier delegate;

    public TotalClassifier(String source, FaultClassifier delegate) {
        this.source = source;
        this.delegate = delegate;
    }

    @Override
    public Fault classify(Throwable failure) {
        try {
            Fault fault = delegate.classify(failure);
            if (fault != null) {
                return fault;
            }
            LOG.warn("{}: classifier {} returned null; treating the failure as UNKNOWN", source, delegate);
        } catch (RuntimeException e) {
            LOG.warn("{}: classifier {} failed; treating the failure as UNKNOWN", source, delegate, e);
        }
        SQLException sql = failure instanceof SQLException e ? e : null;
        return new Fault(FaultKind.UNKNOWN, sql == null ? null : sql.getSQLState(), sql == null ? 0 : sql.getErrorCode(),
                RetryScope.NONE, true, "Unclassified database failure", "Check the fault classifier's rules",
                "classifier failed on " + failure.getClass().getName(), failure);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
