package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.internal.Injector;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The decision logic of a plan, over many seeds, rates and call counts (no database needed). */
class ChaosPlanProperties {

    @Property(tries = 200)
    void sameSeedMakesTheSameDecisions(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 1.0) double rate,
                                       @ForAll @IntRange(min = 1, max = 300) int calls) {
        ChaosPlan plan = ChaosPlan.builder().withSeed(seed)
                .on(ChaosRule.atCommit().withRate(rate).fail("40001")).build();
        assertThat(firedCalls(plan, FaultPoint.COMMIT, calls)).isEqualTo(firedCalls(plan, FaultPoint.COMMIT, calls));
    }

    @Property(tries = 200)
    void everyNthFiresExactlyOnTheMultiplesUpToItsLimit(@ForAll @LongRange(min = 1, max = 20) long every,
                                                        @ForAll @LongRange(min = 1, max = 20) long limit,
                                                        @ForAll @IntRange(min = 1, max = 300) int calls) {
        ChaosPlan plan = ChaosPlan.builder().withSeed(1)
                .on(ChaosRule.atExecute().withEvery(every).withLimit(limit).fail("40001")).build();
        List<Long> expected = new ArrayList<>();
        for (long n = every; n <= calls && expected.size() < limit; n += every) {
            expected.add(n);
        }
        assertThat(firedCalls(plan, FaultPoint.EXECUTE, calls)).isEqualTo(expected);
    }

    @Property(tries = 100)
    void appendingARuleNeverChangesWhatTheEarlierRulesSelect(@ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double rate, @ForAll @IntRange(min = 1, max = 200) int calls) {
        ChaosRule first = ChaosRule.atCommit().withRate(rate).fail("40001");
        ChaosPlan alone = ChaosPlan.builder().withSeed(seed).on(first).build();
        ChaosPlan withMore = ChaosPlan.builder().withSeed(seed).on(first)
                .on(ChaosRule.atCommit().withRate(0.5).loseAcknowledgement()).build();

        List<InjectedFault> more = fired(withMore, FaultPoint.COMMIT, calls);
        assertThat(more.stream().filter(f -> f.ruleIndex() == 0).map(InjectedFault::call).toList())
                .isEqualTo(firedCalls(alone, FaultPoint.COMMIT, calls));
    }

    @Property(tries = 50)
    void otherPointsAreNeverSelected(@ForAll @IntRange(min = 1, max = 100) int calls) {
        ChaosPlan plan = ChaosPlan.builder().withSeed(3).on(ChaosRule.atCommit().fail("40001")).build();
        assertThat(firedCalls(plan, FaultPoint.EXECUTE, calls)).isEmpty();
        assertThat(firedCalls(plan, FaultPoint.ACQUIRE, calls)).isEmpty();
    }

    private static List<Long> firedCalls(ChaosPlan plan, FaultPoint point, int calls) {
        return fired(plan, point, calls).stream().map(InjectedFault::call).toList();
    }

    private static List<InjectedFault> fired(ChaosPlan plan, FaultPoint point, int calls) {
        Injector injector = new Injector(plan);
        for (int i = 0; i < calls; i++) {
            injector.decide(point, null);
        }
        assertThat(injector.calls(point)).isEqualTo(calls);
        return injector.injected();
    }
}
