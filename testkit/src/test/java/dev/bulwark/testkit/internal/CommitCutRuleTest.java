package dev.bulwark.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommitCutRuleTest {

    @Test
    void nthCutsExactlyTheNthCommitOnce() {
        CommitCutRule rule = CommitCutRule.nth(3);
        List<Boolean> decisions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            decisions.add(rule.cutThisOne());
        }
        assertThat(decisions).containsExactly(false, false, true, false, false, false);
    }

    @Test
    void fractionIsRepeatableForTheSameSeed() {
        assertThat(draw(CommitCutRule.fraction(0.3, new Random(42))))
                .isEqualTo(draw(CommitCutRule.fraction(0.3, new Random(42))))
                .contains(true, false);
    }

    @Test
    void fractionZeroNeverCutsAndOneAlwaysCuts() {
        assertThat(draw(CommitCutRule.fraction(0, new Random(1)))).containsOnly(false);
        assertThat(draw(CommitCutRule.fraction(1, new Random(1)))).containsOnly(true);
        assertThat(draw(CommitCutRule.NONE)).containsOnly(false);
    }

    private static List<Boolean> draw(CommitCutRule rule) {
        List<Boolean> decisions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            decisions.add(rule.cutThisOne());
        }
        return decisions;
    }
}
