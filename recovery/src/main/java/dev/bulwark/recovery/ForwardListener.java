package dev.bulwark.recovery;

/**
 * Receives a {@link StoreAndForward}'s {@link ForwardEvent}s, on the thread that caused them (a writing thread
 * or the replay thread).
 *
 * <p>Implementations must be thread-safe and quick; an exception they throw is logged and ignored by the
 * writer, never passed to the application.
 */
@FunctionalInterface
public interface ForwardListener {

    /** Called once per event. */
    void onEvent(ForwardEvent event);
}
