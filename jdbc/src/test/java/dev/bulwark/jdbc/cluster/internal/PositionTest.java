package dev.bulwark.jdbc.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.cluster.ReadToken;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Replication positions and read tokens: ordering, union, and the text form a token travels in. */
class PositionTest {

    @Property
    void anLsnIncludesExactlyTheLsnsAtOrBeforeIt(@ForAll long a, @ForAll long b) {
        Position.Lsn x = new Position.Lsn(a);
        Position.Lsn y = new Position.Lsn(b);
        assertThat(x.includes(y)).isEqualTo(Long.compareUnsigned(a, b) >= 0);
        Position u = Position.union(x, y);
        assertThat(u.includes(x) && u.includes(y)).isTrue();
        assertThat(Position.parse(x.toString())).isEqualTo(x);
        assertThat(Position.Lsn.ofPgText(x.pgText())).isEqualTo(x);
    }

    @Provide
    Arbitrary<Map<Long, long[]>> gtids() {
        return Arbitraries.maps(Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(1, 5).tuple2().map(t -> new long[] {t.get1(), t.get2()}))
                .ofMinSize(1).ofMaxSize(3);
    }

    @Property
    void aGtidPositionIncludesAnotherWhenEveryDomainIsAtOrPastIt(@ForAll("gtids") Map<Long, long[]> a,
                                                                  @ForAll("gtids") Map<Long, long[]> b) {
        Position.Gtid x = new Position.Gtid(a);
        Position.Gtid y = new Position.Gtid(b);
        boolean expected = b.entrySet().stream().allMatch(e -> a.containsKey(e.getKey())
                && a.get(e.getKey())[1] >= e.getValue()[1]);
        assertThat(x.includes(y)).isEqualTo(expected);
        Position u = Position.union(x, y);
        assertThat(u.includes(x) && u.includes(y)).isTrue();
        assertThat(Position.parse(x.toString())).isEqualTo(x);
        assertThat(ReadToken.parse(x.toString()).toString()).isEqualTo(x.toString());
    }

    @Property
    void aNewerCommitSupersedesAnUnknownOneButAnAdoptedUnknownWins(@ForAll @IntRange(min = 0) int lsn) {
        Position known = new Position.Lsn(lsn);
        assertThat(Position.after(Position.UNKNOWN, known)).isEqualTo(known);
        assertThat(Position.union(Position.UNKNOWN, known)).isSameAs(Position.UNKNOWN);
        assertThat(Position.UNKNOWN.includes(known)).isFalse();
        assertThat(known.includes(Position.UNKNOWN)).isFalse();
    }

    @Test
    void positionsOfDifferentEnginesNeverIncludeEachOtherAndTheirUnionIsUnknown() {
        Position lsn = new Position.Lsn(5);
        Position gtid = Position.Gtid.parse("0-1-5");
        assertThat(lsn.includes(gtid)).isFalse();
        assertThat(gtid.includes(lsn)).isFalse();
        assertThat(Position.union(lsn, gtid)).isSameAs(Position.UNKNOWN);
    }

    @Test
    void readTokensReadBackTheirTextAndBadTextIsNamed() {
        assertThat(ReadToken.parse("none")).isSameAs(ReadToken.NONE);
        assertThat(ReadToken.parse("primary").toString()).isEqualTo("primary");
        assertThat(ReadToken.parse("lsn:3000148").toString()).isEqualTo("lsn:3000148");
        assertThat(ReadToken.parse("gtid:1-2-7,0-1-42").toString()).isEqualTo("gtid:0-1-42,1-2-7");
        assertThat(Position.Lsn.ofPgText("0/16B3748").value()).isEqualTo(0x16B3748L);
        assertThatThrownBy(() -> ReadToken.parse("lsn:xyz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lsn:xyz'");
        assertThatThrownBy(() -> ReadToken.parse("gtid:0-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0-1'");
        assertThatThrownBy(() -> ReadToken.parse("later")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected none, primary");
        Map<Long, long[]> m = new TreeMap<>();
        m.put(0L, new long[] {1, 9});
        assertThat(new Position.Gtid(m).listText()).isEqualTo("0-1-9");
    }
}
