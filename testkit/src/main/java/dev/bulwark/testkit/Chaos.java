package dev.bulwark.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the {@link ChaosPlan} of a {@link ChaosDataSource} parameter resolved by
 * {@link BulwarkTestExtension}. The parameter also names the database it wraps
 * ({@link Postgres}, {@link MariaDb} or {@link Sqlite}).
 *
 * <p>Either name a method of the test class that returns the plan (static, or an instance method
 * for method parameters; no arguments):
 * <pre>{@code
 * static ChaosPlan lostAck() {
 *     return ChaosPlan.builder().withSeed(7).on(ChaosRule.atCommit().withCall(1).loseAcknowledgement()).build();
 * }
 * @Test void savesOnce(@Postgres @Chaos(plan = "lostAck") ChaosDataSource ds) { ... }
 * }</pre>
 * or declare simple faults in place (first matching fault wins, as in a plan):
 * <pre>{@code
 * @Test void retries(@MariaDb @Chaos(seed = 42, value = {
 *         @Chaos.Fault(at = FaultPoint.EXECUTE, call = 2, sqlState = "40001"),
 *         @Chaos.Fault(at = FaultPoint.COMMIT, rate = 0.1, action = Chaos.Action.LOSE_ACKNOWLEDGEMENT)})
 *         ChaosDataSource ds) { ... }
 * }</pre>
 *
 * <p>When such a test fails, the extension adds the seed and the injected faults to the failure.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Chaos {

    /** The {@link #seed()} value that means "choose a random seed" (it is reported on failure). */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** Name of a method of the test class returning a {@link ChaosPlan}; excludes seed and faults. */
    String plan() default "";

    /** Seed of the declared faults; {@link #RANDOM_SEED} chooses one. */
    long seed() default RANDOM_SEED;

    /** The faults, in evaluation order. */
    Fault[] value() default {};

    /** What a declared fault does; see {@link ChaosAction}. */
    enum Action { FAIL, DELAY, CLOSE_CONNECTION, LOSE_ACKNOWLEDGEMENT }

    /** One fault: a {@link ChaosRule} in annotation form. Zero means "not set" for the numbers. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Fault {
        /** Where. */
        FaultPoint at();

        /** See {@link ChaosRule.Builder#withCall}. */
        long call() default 0;

        /** See {@link ChaosRule.Builder#withEvery}. */
        long every() default 0;

        /** See {@link ChaosRule.Builder#withRate}. */
        double rate() default 1.0;

        /** See {@link ChaosRule.Builder#withSqlMatching}; empty for any. */
        String sql() default "";

        /** See {@link ChaosRule.Builder#withLimit}. */
        long limit() default 0;

        /** What to do. */
        Action action() default Action.FAIL;

        /** For {@link Action#FAIL}: the SQLState (required). */
        String sqlState() default "";

        /** For {@link Action#FAIL}: the vendor code. */
        int vendorCode() default 0;

        /** For {@link Action#FAIL}: the exception class. */
        ChaosError.Type type() default ChaosError.Type.DERIVED;

        /** For {@link Action#DELAY}: the latency in milliseconds (required). */
        long delayMillis() default 0;
    }
}
