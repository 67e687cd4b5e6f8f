package dev.bulwark.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker and sleeper for tests: sleeping advances the ticker at once and is recorded. */
final class FakeTime implements Ticker, Sleeper {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        advance(duration);
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
