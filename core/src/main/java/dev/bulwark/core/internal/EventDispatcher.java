package dev.bulwark.core.internal;

import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands events to the listeners of one data source; a listener that throws is logged and skipped, so it
 * can never break the call that produced the event.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final String source;
    private final BulwarkListener[] listeners;

    public EventDispatcher(String source, List<BulwarkListener> listeners) {
        this.source = source;
        this.listeners = listeners.toArray(new BulwarkListener[0]);
    }

    /** Whether any listener is registered, so callers can skip building events nobody receives. */
    public boolean active() {
        return listeners.length > 0;
    }

    /** Delivers {@code event} to every listener in registration order. */
    public void emit(BulwarkEvent event) {
        for (BulwarkListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener {} failed on {}; the call goes on", source, listener.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
