package dev.bulwark.core;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GuardConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 200;

    @Test
    void theBulkheadNeverLetsMoreThanItsLimitRunAtOnce() throws Exception {
        BulwarkConfig config = BulwarkConfig.builder()
                .withBulkhead(ConcurrencyConfig.builder().withMaxConcurrent(2).build()).build();
        Guard guard = Guard.builder(config).withClassifier(new SqlStateClassifier()).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        runConcurrently(() -> {
            try {
                guard.execute(context -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    for (int spin = 0; spin < 2_000; spin++) {
                        Thread.onSpinWait();
                    }
                    running.decrementAndGet();
                    return null;
                });
                succeeded.incrementAndGet();
            } catch (BulkheadFullException e) {
                refused.incrementAndGet();
            }
        });

        assertThat(maxRunning.get()).isBetween(1, 2);
        assertThat(succeeded.get() + refused.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(running).hasValue(0);
    }

    @Test
    void retriesUnderConcurrencyStayWithinTheBudget() throws Exception {
        RetryConfig retry = RetryConfig.builder().withMaxAttempts(5).withBudgetRatio(0.1).withBudgetMinRetries(5)
                .build();
        BulwarkConfig config = BulwarkConfig.builder().withRetry(retry)
                .withBreaker(BreakerConfig.builder().withEnabled(false).build()).build();
        // Time stands still, so every call and retry falls in one budget window.
        Guard guard = Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(() -> 0L)
                .withSleeper(delay -> { }).build();
        AtomicInteger attempts = new AtomicInteger();

        runConcurrently(() -> {
            try {
                guard.execute(context -> {
                    attempts.incrementAndGet();
                    throw new SQLException("connection lost", "08006");
                });
            } catch (SQLException expected) {
                assertThat(expected.getSQLState()).isEqualTo("08006");
            }
        });

        int calls = THREADS * CALLS_PER_THREAD;
        int retries = attempts.get() - calls;
        assertThat(retries).isGreaterThan(0).isLessThanOrEqualTo((int) Math.max(5, 0.1 * calls));
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void runConcurrently(Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        body.run();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
