package dev.bulwark.core;

/**
 * Receives {@link BulwarkEvent}s on the thread that produced them; register it on a builder
 * (such as {@link Guard.Builder#withListener}), never globally.
 *
 * <p>Implementations must be thread-safe and fast (they run on the caller's thread). An exception thrown by
 * a listener is logged and never breaks the call.
 */
@FunctionalInterface
public interface BulwarkListener {

    /** Handles one event. */
    void onEvent(BulwarkEvent event);
}
