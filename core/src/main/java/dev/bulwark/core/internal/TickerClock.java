package dev.bulwark.core.internal;

import dev.bulwark.core.Ticker;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} whose instants follow a {@link Ticker}, for Resilience4j components that measure
 * time with a clock; only differences between instants are meaningful.
 *
 * <p>Thread-safe if the ticker is.
 */
final class TickerClock extends Clock {

    private final Ticker ticker;

    TickerClock(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(0, ticker.nanoTime());
    }

    @Override
    public long millis() {
        return Math.floorDiv(ticker.nanoTime(), 1_000_000L);
    }
}
