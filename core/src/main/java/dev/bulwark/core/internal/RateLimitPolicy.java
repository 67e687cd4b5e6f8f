package dev.bulwark.core.internal;

import dev.bulwark.core.RateLimitedException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;

/**
 * Limits attempts per period with Resilience4j's rate limiter; it never waits: an attempt over the limit is
 * refused at once. Resilience4j measures periods with {@link System#nanoTime()}.
 *
 * <p>Thread-safe.
 */
public final class RateLimitPolicy {

    private final String name;
    private final int limit;
    private final RateLimiter limiter;

    public RateLimitPolicy(String name, int limitForPeriod, Duration period) {
        this.name = name;
        this.limit = limitForPeriod;
        this.limiter = RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(limitForPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** Takes a permit; {@code false} if the period's permits are used up. */
    public boolean tryAcquire() {
        return limiter.acquirePermission();
    }

    /** The exception refusing a call now. */
    public RateLimitedException rejection() {
        return new RateLimitedException(name, limit);
    }
}
