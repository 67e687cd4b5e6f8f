package dev.bulwark.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects events for assertions. */
final class RecordingListener implements BulwarkListener {

    final List<BulwarkEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BulwarkEvent event) {
        events.add(event);
    }

    <E extends BulwarkEvent> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
