package dev.bulwark.core;

/**
 * Something Bulwark did or saw, reported to {@link BulwarkListener}s. The policy events are the
 * {@link PolicyEvent} records; other modules add their own sealed families.
 *
 * <p>Events are immutable values.
 */
public interface BulwarkEvent {

    /** The name of the data source ({@code bulwark.name}) that produced the event. */
    String source();
}
